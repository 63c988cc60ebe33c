// Suite 1, cold start: first connection to first response with no worker running, per worker variant, under real socket activation.
import { activateOnFirstConnection, type WorkerCommand } from '../lib/activate.js';
import { installBenchUnits, probe, type BoxLike } from '../lib/box.js';
import { fmt, fmtRatio } from '../lib/format.js';
import { freePort, pidOf, timedGet } from '../lib/net.js';
import type { SuiteResult } from '../lib/results.js';
import { pairedRatio, summarize, type Summary } from '../lib/stats.js';
import { coldVariants, type Variant } from '../lib/variants.js';

/** One cold start: how long the first response took and which pid answered. */
export interface ColdSample {
  ms: number;
  pid: number | null;
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
      return { ms: res.ms, pid: pidOf(res.body) };
    } finally {
      await sock.stop();
    }
  },
};

/**
 * Cold starts under the box's real systemd --user: one socket unit per worker command, installed on first use;
 * before each run the service is stopped, so the socket is listening with no worker behind it.
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
        await installBenchUnits(box, unit.name, unit.port, cmd.argv, cmd.env);
        units.set(key, unit);
      }
      await box.systemctlUser('stop', `${unit.name}.service`);
      const [res] = await probe(box, unit.port, 1);
      if (!res || res.status !== 200 || res.ms === undefined) throw new Error(`cold start in the box failed: ${JSON.stringify(res)}`);
      return { ms: res.ms, pid: res.pid ?? null };
    },
  };
}

export interface ColdStartData {
  driver: string;
  rounds: number;
  variants: Array<{ id: string; label: string; entry: string; ms: Summary; vsFloor: Summary; samples: number[] }>;
  missing: string[];
  [key: string]: unknown;
}

/** Runs `rounds` rounds; each round starts every variant once, in a rotated order, so drift hits all of them alike. */
export async function coldStart(driver: ColdDriver, rounds: number, defaultEntry: string, node = process.execPath): Promise<SuiteResult> {
  const { variants, missing } = coldVariants();
  const samples = new Map<string, number[]>(variants.map((v) => [v.id, []]));
  for (const v of variants) await driver.once({ argv: [node, v.entry] }); // warm the page cache, discarded
  for (let r = 0; r < rounds; r += 1) {
    for (let i = 0; i < variants.length; i += 1) {
      const v = variants[(r + i) % variants.length] as Variant;
      samples.get(v.id)?.push((await driver.once({ argv: [node, v.entry] })).ms);
    }
  }
  const floor = samples.get('bare') ?? [];
  const data: ColdStartData = {
    driver: driver.name,
    rounds,
    missing: missing.map((m) => `${m.id}: ${m.entry} not built`),
    variants: variants.map((v) => {
      const s = samples.get(v.id) ?? [];
      return { id: v.id, label: v.label, entry: v.entry, ms: summarize(s), vsFloor: pairedRatio(s, floor), samples: s.map((x) => Number(x.toFixed(2))) };
    }),
  };
  return { data, rows: coldRows(data, defaultEntry) };
}

function coldRows(data: ColdStartData, defaultEntry: string): SuiteResult['rows'] {
  return data.variants.map((v) => {
    if (v.id === 'bare') return { figure: `cold start, ${v.label}`, value: fmt(v.ms, 'ms') };
    const isDefault = v.entry === defaultEntry;
    const row = { figure: `cold start, ${v.label}${isDefault ? ' [default]' : ''} ÷ bare`, value: fmtRatio(v.vsFloor) };
    return isDefault ? { ...row, target: '≤ 1.3×', met: v.vsFloor.median <= 1.3 } : row;
  });
}
