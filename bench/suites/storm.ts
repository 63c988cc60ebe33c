// Suite 3, storm scaling: N concurrent first connections on a cold socket; answers, errors, p50/p99 and distinct worker pids.
import { activateOnFirstConnection } from '../lib/activate.js';
import { fmt } from '../lib/format.js';
import { freePort, pidOf, timedGet } from '../lib/net.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { percentile, summarize, type Summary } from '../lib/stats.js';

/** One storm: N connections opened at once on a socket nobody has started a worker for yet. */
export interface Storm {
  answered: number;
  errors: number;
  p50: number;
  p99: number;
  pids: number;
  firstError?: string;
}

/** Fires `n` GET /health at once at a cold socket activated by systemd-socket-activate running `entry`. */
export async function stormOnce(entry: string, n: number, node = process.execPath): Promise<Storm> {
  const sock = await activateOnFirstConnection(await freePort(), { argv: [node, entry] });
  try {
    const all = await Promise.allSettled(Array.from({ length: n }, () => timedGet(sock.port, '/health', 60_000)));
    const ok = all.flatMap((s) => (s.status === 'fulfilled' && s.value.status === 200 ? [s.value] : []));
    const failed = all.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
    const ms = ok.map((r) => r.ms);
    const storm: Storm = {
      answered: ok.length,
      errors: n - ok.length,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      pids: new Set(ok.map((r) => pidOf(r.body))).size,
    };
    if (failed) storm.firstError = String((failed.reason as Error)?.message ?? failed.reason);
    return storm;
  } finally {
    await sock.stop();
  }
}

export interface StormFigures {
  n: number;
  rounds: number;
  answered: number;
  errors: number;
  maxPids: number;
  p50: Summary;
  p99: Summary;
  /** The same storm against the bare node:http worker, for scale. */
  bareP99: Summary;
  firstError?: string;
}

async function level(entry: string, bare: string, n: number, rounds: number): Promise<StormFigures> {
  const runs: Storm[] = [];
  const bareRuns: Storm[] = [];
  for (let r = 0; r < rounds; r += 1) {
    runs.push(await stormOnce(entry, n));
    bareRuns.push(await stormOnce(bare, n));
  }
  const f: StormFigures = {
    n,
    rounds,
    answered: runs.reduce((a, s) => a + s.answered, 0),
    errors: runs.reduce((a, s) => a + s.errors, 0),
    maxPids: Math.max(...runs.map((s) => s.pids)),
    p50: summarize(runs.map((s) => s.p50)),
    p99: summarize(runs.map((s) => s.p99)),
    bareP99: summarize(bareRuns.map((s) => s.p99)),
  };
  const firstError = runs.find((s) => s.firstError)?.firstError;
  if (firstError) f.firstError = firstError;
  return f;
}

function rows(f: StormFigures): Row[] {
  const total = f.n * f.rounds;
  return [
    {
      figure: `storm ${f.n}: answered, errors`,
      value: `${f.answered}/${total}, ${f.errors} errors`,
      target: '0 errors',
      met: f.errors === 0,
    },
    { figure: `storm ${f.n}: distinct worker pids`, value: String(f.maxPids), target: '1', met: f.maxPids === 1 },
    { figure: `storm ${f.n}: p50 / p99 latency`, value: `${fmt(f.p50, 'ms', 0)} / ${fmt(f.p99, 'ms', 0)}` },
    { figure: `storm ${f.n}: p99 of bare node:http, same storm`, value: fmt(f.bareP99, 'ms', 0) },
  ];
}

/** Runs each storm size `rounds` times, alternating with the bare worker. */
export async function storm(entry: string, bare: string, sizes: number[], rounds: number): Promise<SuiteResult> {
  const data: Record<string, unknown> = { entry, driver: 'systemd-socket-activate' };
  const out: Row[] = [];
  for (const n of sizes) {
    const f = await level(entry, bare, n, rounds);
    data[`n${n}`] = f;
    out.push(...rows(f));
  }
  return { data, rows: out };
}
