// Suite 1, cold start: first connection to first response with no worker running, per worker variant, under real socket activation.
import { activateOnFirstConnection, type WorkerCommand } from '../lib/activate.js';
import { installBenchUnits, probe, type BoxLike } from '../lib/box.js';
import { fmt, fmtRatio } from '../lib/format.js';
import { freePort, pidOf, timedGet } from '../lib/net.js';
import { mainThreadCpuMs } from '../lib/procs.js';
import type { SuiteResult } from '../lib/results.js';
import { pairedRatio, summarize, type Summary } from '../lib/stats.js';
import { coldVariants, fastEntryState, installCli, type Variant } from '../lib/variants.js';

/** One cold start: how long the first response took and which pid answered. */
export interface ColdSample {
  ms: number;
  pid: number | null;
  /** CPU ms the worker's main thread used up to its first answer (noise-resistant; see mainThreadCpuMs). */
  cpuMs: number | null;
}

/** A way to get a cold socket and hit it once (systemd-socket-activate here, the systemd box elsewhere). */
export interface ColdDriver {
  name: string;
  once(cmd: WorkerCommand): Promise<ColdSample>;
}

/** Cold starts through systemd-socket-activate: a fresh socket per run, the worker stopped afterwards. */
export const socketActivateDriver: ColdDriver = {
  name: 'systemd-socket-activate',
  async once(cmd) {
    const sock = await activateOnFirstConnection(await freePort(), cmd);
    try {
      const res = await timedGet(sock.port);
      if (res.status !== 200) throw new Error(`cold start answered ${res.status}: ${res.body.slice(0, 200)}`);
      const pid = pidOf(res.body);
      return { ms: res.ms, pid, cpuMs: pid === null ? null : mainThreadCpuMs(pid) };
    } finally {
      await sock.stop();
    }
  },
};

/** The pseudo-entry of the worker exactly as `install-service` sets it up (its units, token file and caps). */
export const INSTALLED = '@install-service';

/** Runs install-service in the box for the INSTALLED variant. */
async function installWithInstaller(box: BoxLike, name: string, port: number): Promise<void> {
  const r = await box.exec([process.execPath, installCli, 'install', '--name', name, '--port', String(port)], {
    env: box.userEnv,
    timeoutMs: 120_000,
  });
  if (r.code !== 0)
    throw new Error(`install-service failed in the box (${r.code}): ${(r.stdout + r.stderr).trim().slice(-300)}`);
}

/**
 * Cold starts under the box's real systemd --user: one socket unit per worker command, installed on first use
 * (by install-service itself for INSTALLED); before each run the service is stopped, so the socket is listening
 * with no worker behind it.
 */
export function boxColdDriver(box: BoxLike): ColdDriver {
  const units = new Map<string, { name: string; port: number }>();
  return {
    name: 'systemd --user (isolated box)',
    async once(cmd) {
      const key = cmd.argv.join(' ');
      let unit = units.get(key);
      if (!unit) {
        unit = { name: `bench-cold-${units.size}`, port: 41000 + units.size };
        if (cmd.argv.includes(INSTALLED)) await installWithInstaller(box, unit.name, unit.port);
        else await installBenchUnits(box, unit.name, unit.port, cmd.argv, cmd.env);
        units.set(key, unit);
      }
      await box.systemctlUser('stop', `${unit.name}.service`);
      // These stops are forced restarts, not idle churn: without this, the installer's start limit (5 starts in
      // 15 s, see src/service/systemd/limits.ts) fails the service after a few rounds and the socket resets connections.
      await box.systemctlUser('reset-failed', `${unit.name}.service`);
      const [res] = await probe(box, unit.port, 1);
      if (!res || res.status !== 200 || res.ms === undefined)
        throw new Error(`cold start in the box failed: ${JSON.stringify(res)}`);
      return { ms: res.ms, pid: res.pid ?? null, cpuMs: res.cpuMs ?? null };
    },
  };
}

export interface ColdVariantData {
  id: string;
  label: string;
  entry: string;
  /** Wall time, first connection → first response. */
  ms: Summary;
  vsFloor: Summary;
  /** CPU time of the worker's main thread up to its first answer, and its per-round ratio to the floor's. */
  cpuMs: Summary;
  cpuVsFloor: Summary;
  samples: number[];
}

export interface ColdStartData {
  driver: string;
  rounds: number;
  variants: ColdVariantData[];
  missing: string[];
  [key: string]: unknown;
}

/** Runs `rounds` rounds; each round starts every variant once, in a rotated order, so drift hits all of them alike. */
export async function coldStart(
  driver: ColdDriver,
  rounds: number,
  defaultEntry: string,
  extra: Variant[] = [],
  node = process.execPath,
): Promise<SuiteResult> {
  const found = coldVariants();
  const variants = [...found.variants, ...extra];
  const missing = found.missing;
  const before = fastEntryState();
  const samples = new Map<string, ColdSample[]>(variants.map((v) => [v.id, []]));
  for (const v of variants) await driver.once({ argv: [node, v.entry] }); // warm the page cache, discarded
  for (let r = 0; r < rounds; r += 1) {
    for (let i = 0; i < variants.length; i += 1) {
      const v = variants[(r + i) % variants.length] as Variant;
      samples.get(v.id)?.push(await driver.once({ argv: [node, v.entry] }));
    }
  }
  const wall = (id: string): number[] => (samples.get(id) ?? []).map((x) => x.ms);
  const cpu = (id: string): number[] => (samples.get(id) ?? []).map((x) => x.cpuMs ?? Number.NaN);
  const data: ColdStartData = {
    driver: driver.name,
    rounds,
    missing: missing.map((m) => `${m.id}: ${m.entry} not built`),
    fastEntry: { before, after: fastEntryState() },
    variants: variants.map((v) => ({
      id: v.id,
      label: v.label,
      entry: v.entry,
      ms: summarize(wall(v.id)),
      vsFloor: pairedRatio(wall(v.id), wall('bare')),
      cpuMs: summarize(cpu(v.id)),
      cpuVsFloor: pairedRatio(cpu(v.id), cpu('bare')),
      samples: wall(v.id).map((x) => Number(x.toFixed(2))),
    })),
  };
  return { data, rows: coldRows(data, defaultEntry) };
}

function coldRows(data: ColdStartData, defaultEntry: string): SuiteResult['rows'] {
  return data.variants.map((v) => {
    if (v.id === 'bare')
      return {
        figure: `cold start, ${v.label}: wall / main-thread CPU`,
        value: `${fmt(v.ms, 'ms')} / ${fmt(v.cpuMs, 'ms')}`,
      };
    const isDefault = v.entry === defaultEntry;
    const row = {
      figure: `cold start, ${v.label}${isDefault ? ' [default]' : ''} ÷ bare: wall / CPU`,
      value: `${fmtRatio(v.vsFloor)} / ${fmtRatio(v.cpuVsFloor)}`,
    };
    return isDefault ? { ...row, target: '≤ 1.3× (wall)', met: v.vsFloor.median <= 1.3 } : row;
  });
}
