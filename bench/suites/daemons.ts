// Programs that bind their own port, run three ways: bound by themselves, behind the proxy worker, and adopted by the preload.
import { join } from 'node:path';
import { activateOnFirstConnection, type ActivatedSocket } from '../lib/activate.js';
import { fmt, fmtRatio } from '../lib/format.js';
import { loadFor } from '../lib/load.js';
import { freePort, timedGet } from '../lib/net.js';
import { start, stop, type Proc } from '../lib/procs.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { pairedRatio, summarize } from '../lib/stats.js';
import { distDir } from '../lib/variants.js';
import { adoptEnvironment } from '../../src/adopt/paths.js';

/** The daemon: probes its port (connect, bind), then listens on it and answers /health (test/fixtures/adopt/daemon.ts). */
const daemon = join(distDir, 'test', 'fixtures', 'adopt', 'daemon.js');
type Arm = 'direct' | 'proxy' | 'preload';
const ARMS: Arm[] = ['direct', 'proxy', 'preload'];

interface Running {
  port: number;
  stop: () => Promise<void>;
}

/** GET /health every 2 ms from now until the daemon answers 200: the cold time of a program that binds its own port. */
async function firstAnswer(port: number, t0: number, timeoutMs = 15_000): Promise<number> {
  while (performance.now() - t0 < timeoutMs) {
    const ok = await timedGet(port, '/health', 2000).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`the daemon did not answer on port ${port} within ${timeoutMs} ms`);
}

/** Starts one arm and returns the time to its first answer and how to stop it. */
async function startArm(arm: Arm, entry: string, node: string): Promise<{ ms: number; running: Running }> {
  const port = await freePort();
  if (arm === 'direct') {
    const t0 = performance.now();
    const proc: Proc = start([node, daemon, String(port)]);
    return { ms: await firstAnswer(port, t0), running: { port, stop: () => stop(proc) } };
  }
  const child = await freePort();
  const sock: ActivatedSocket = await activateOnFirstConnection(
    port,
    arm === 'proxy'
      ? { argv: [node, entry, '--proxy-port', String(child), '--', node, daemon, String(child)] }
      : { argv: [node, daemon, String(port)], env: adoptEnvironment('node', port) },
  ); // with the port, as install-service sets it
  const res = await timedGet(port, '/health');
  if (res.status !== 200) throw new Error(`${arm}: the first answer was ${res.status}`);
  return { ms: res.ms, running: { port, stop: () => sock.stop() } };
}

/** `rounds` cold starts of each arm, the arms' order rotating every round. */
async function cold(entry: string, node: string, rounds: number): Promise<Record<Arm, number[]>> {
  const ms: Record<Arm, number[]> = { direct: [], proxy: [], preload: [] };
  for (let r = 0; r < rounds; r += 1) {
    for (const arm of [...ARMS.slice(r % 3), ...ARMS.slice(0, r % 3)]) {
      const { ms: t, running } = await startArm(arm, entry, node);
      ms[arm].push(t);
      await running.stop();
    }
  }
  return ms;
}

/** All three up at once; `rounds` one-second autocannon loads of each, order alternating. */
async function warm(
  entry: string,
  node: string,
  rounds: number,
  seconds: number,
): Promise<{ rps: Record<Arm, number[]>; errors: number }> {
  const running = new Map<Arm, Running>();
  const rps: Record<Arm, number[]> = { direct: [], proxy: [], preload: [] };
  let errors = 0;
  try {
    for (const arm of ARMS) running.set(arm, (await startArm(arm, entry, node)).running);
    for (const arm of ARMS) await loadFor(running.get(arm)!.port, 1); // warm-up, discarded
    for (let r = 0; r < rounds; r += 1) {
      for (const arm of r % 2 === 0 ? ARMS : [...ARMS].reverse()) {
        const load = await loadFor(running.get(arm)!.port, seconds);
        rps[arm].push(load.rps);
        errors += load.errors;
      }
    }
  } finally {
    await Promise.all([...running.values()].map((r) => r.stop()));
  }
  return { rps, errors };
}

/** Cold first response and warm req/s through the proxy and through the preload, each against the daemon binding its own port. */
export async function daemons(opts: {
  entry: string;
  coldRounds: number;
  warmRounds: number;
  node?: string;
}): Promise<SuiteResult> {
  const node = opts.node ?? process.execPath;
  const c = await cold(opts.entry, node, opts.coldRounds);
  const w = await warm(opts.entry, node, opts.warmRounds, 1);
  const data = {
    entry: opts.entry,
    daemon,
    cold: Object.fromEntries(ARMS.map((a) => [a, summarize(c[a])])),
    warm: Object.fromEntries(ARMS.map((a) => [a, summarize(w.rps[a], 0)])),
    warmErrors: w.errors,
    coldRatio: { proxy: pairedRatio(c.proxy, c.direct), preload: pairedRatio(c.preload, c.direct) },
    warmRatio: { proxy: pairedRatio(w.rps.proxy, w.rps.direct), preload: pairedRatio(w.rps.preload, w.rps.direct) },
  };
  const rows: Row[] = [
    {
      figure: 'own-port daemon, cold first answer: itself / proxy / preload',
      value: ARMS.map((a) => fmt(data.cold[a]!, 'ms', 0)).join(' / '),
    },
    { figure: 'cold first answer, proxy ÷ daemon alone', value: fmtRatio(data.coldRatio.proxy) },
    {
      figure: 'cold first answer, preload ÷ daemon alone',
      value: fmtRatio(data.coldRatio.preload),
      target: '≤ 1.1×',
      met: data.coldRatio.preload.median <= 1.1,
    },
    {
      figure: 'own-port daemon, warm req/s: itself / proxy / preload',
      value: ARMS.map((a) => fmt(data.warm[a]!, 'req/s', 0)).join(' / '),
    },
    { figure: 'warm req/s, proxy ÷ daemon alone', value: fmtRatio(data.warmRatio.proxy) },
    {
      figure: 'warm req/s, preload ÷ daemon alone',
      value: fmtRatio(data.warmRatio.preload),
      target: '≥ 0.95×',
      met: data.warmRatio.preload.median >= 0.95,
    },
    { figure: 'warm load errors (all arms)', value: String(w.errors), target: '0', met: w.errors === 0 },
  ];
  return { data, rows };
}
