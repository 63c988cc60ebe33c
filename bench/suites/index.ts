// The suites `npm run bench` runs, in order, with their round counts (smaller with --quick), sharing one systemd box.
import { defaultWorkerEntry } from '../../src/paths.js';
import { bootBoxOrWhy, type BoxLike } from '../lib/box.js';
import type { SuiteResult } from '../lib/results.js';
import { bareWorker, inSnapshot } from '../lib/variants.js';
import { boxLifecycle } from './box-lifecycle.js';
import { boxColdDriver, coldStart, INSTALLED, socketActivateDriver } from './cold-start.js';
import { footprint } from './footprint.js';
import { handmade } from './handmade.js';
import { installTime } from './install.js';
import { jobs } from './jobs.js';
import { keepaliveRestart } from './keepalive-restart.js';
import { daemons } from './daemons.js';
import { peerOwner } from './peer-owner.js';
import { realDaemons } from './real-daemons.js';
import { storm } from './storm.js';
import { throughput } from './throughput.js';

/** The worker as `install-service` installs it by default (its units, token file, caps), under the box's systemd. */
const INSTALLED_VARIANT = { id: 'installed', label: 'initsock as install-service sets it up', entry: INSTALLED };

export interface Suite {
  id: string;
  title: string;
  run: () => Promise<SuiteResult>;
}

/** Boots the box on first use and stops it at the end; a box that cannot boot is a reason to skip. */
export class SharedBox {
  private box: Promise<BoxLike | string> | null = null;
  get(): Promise<BoxLike | string> {
    this.box ??= bootBoxOrWhy();
    return this.box;
  }
  async stop(): Promise<void> {
    const box = await this.box;
    if (box && typeof box !== 'string') await box.stop();
  }
}

export function suites({ quick }: { quick: boolean }, box: SharedBox): Suite[] {
  const entry = inSnapshot(defaultWorkerEntry); // the installer's default worker, from the run's snapshot
  const q = (full: number, fast: number): number => (quick ? fast : full);
  return [
    {
      id: 'cold-start',
      title: 'first connection → first response, no worker running (systemd-socket-activate)',
      run: () => coldStart(socketActivateDriver, q(30, 3), entry),
    },
    {
      id: 'cold-start-systemd',
      title: 'the same under a real systemd --user (isolated box, root only)',
      run: async () => {
        const b = await box.get();
        return typeof b === 'string'
          ? { data: { skipped: b }, rows: [], skipped: b }
          : coldStart(boxColdDriver(b), q(20, 2), entry, [INSTALLED_VARIANT]);
      },
    },
    {
      id: 'hand-made',
      title: 'check-spawn-poll hook vs `initsock request`, 1 and 30 hooks on a cold port',
      run: () => handmade({ entry, rounds: quick ? { 1: 2, 30: 1 } : { 1: 10, 30: 5 } }),
    },
    {
      id: 'storm',
      title: 'N concurrent first connections on a cold socket (systemd-socket-activate)',
      run: () => storm(entry, bareWorker, [10, 100, 1000], q(3, 1)),
    },
    {
      id: 'storm-systemd',
      title: 'storms and idle exit under a real systemd --user (isolated box)',
      run: async () => boxLifecycle(await box.get(), entry, [10, 100, 1000], q(3, 1)),
    },
    {
      id: 'keepalive-restart',
      title: 'requests lost across restarts under load: fresh, keep-alive, keep-alive with one retry (isolated box)',
      run: async () => keepaliveRestart(await box.get(), entry, q(5, 2)),
    },
    {
      id: 'throughput',
      title: 'warm req/s: activated socket vs --listen (autocannon)',
      run: () => throughput({ entry, rounds: q(16, 1), seconds: 1 }),
    },
    {
      id: 'footprint',
      title: 'RSS idle and after 10 000 requests; workers after idle exit (fallback)',
      run: () => footprint(entry, bareWorker, q(3, 1)),
    },
    {
      id: 'install',
      title: '`install-service` end to end and a no-change re-run (isolated box)',
      run: async () => installTime(await box.get(), q(3, 1)),
    },
    {
      id: 'peer-owner',
      title:
        'accept-time owner lookup per connection: netlink sock_diag vs a /proc/net/tcp scan, small and large tables',
      run: () => peerOwner(q(500, 50)),
    },
    {
      id: 'daemons',
      title:
        'a daemon that binds its own port: by itself, behind the proxy worker, adopted by the preload (cold and warm)',
      run: () => daemons({ entry, coldRounds: q(15, 2), warmRounds: q(8, 1) }),
    },
    {
      id: 'real-daemons',
      title:
        "the README's recipes with the real claude-mem, uvicorn and bun (isolated box; skips what is not installed)",
      run: async () => realDaemons(await box.get(), q(3, 1), q(2, 1)),
    },
    {
      id: 'jobs',
      title: '`initsock job run` vs flock -n and systemd-run --unit: trigger latency, runs per two waves',
      run: async () => jobs(await box.get(), q(15, 2)),
    },
  ];
}
