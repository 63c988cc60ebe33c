// Suite 5, footprint: worker RSS idle and after 10 000 requests (against bare node:http), and zero workers after idle exit.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { activateOnFirstConnection } from '../lib/activate.js';
import { fmt, fmtRatio } from '../lib/format.js';
import { alive, reapWorkers, scratchEnv } from '../lib/hooks.js';
import { loadAmount } from '../lib/load.js';
import { freePort, pidOf, timedGet } from '../lib/net.js';
import { rssKiB, start, startCounter } from '../lib/procs.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { pairedRatio, summarize } from '../lib/stats.js';
import { initsockCli, workDir } from '../lib/variants.js';

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** RSS (MiB) of a freshly activated worker after its first answer, and after `requests` more. */
async function rssOnce(entry: string, requests: number, node: string): Promise<{ idle: number; loaded: number }> {
  const sock = await activateOnFirstConnection(await freePort(), { argv: [node, entry] });
  try {
    const pid = pidOf((await timedGet(sock.port)).body) ?? sock.proc.child.pid ?? 0;
    await settle(500); // let start-up garbage be collected the way an idle worker's would be
    const idle = (rssKiB(pid) ?? Number.NaN) / 1024;
    await loadAmount(sock.port, requests);
    await settle(500);
    return { idle, loaded: (rssKiB(pid) ?? Number.NaN) / 1024 };
  } finally {
    await sock.stop();
  }
}

/**
 * Idle exit through the fallback: one `initsock request` starts the client's default worker with a 1 s idle
 * timeout; counts the worker processes right after the answer and once it has exited on its own (up to `waitMs`).
 */
async function idleExit(
  node: string,
  waitMs = 15_000,
): Promise<{ afterAnswer: number; afterIdle: number; exitMs: number }> {
  const dir = join(workDir, 'footprint');
  mkdirSync(dir, { recursive: true });
  const counter = startCounter(dir, 'idle', 'worker');
  const env = { ...process.env, ...scratchEnv(dir), ...counter.env, INITSOCK_IDLE_TIMEOUT: '1s' };
  const proc = start([node, initsockCli, 'request', '--port', String(await freePort()), 'GET', '/health'], { env });
  if ((await proc.exited) !== 0) throw new Error('`initsock request` failed on a cold port');
  const afterAnswer = alive(counter.pids()).length;
  const t0 = Date.now();
  while (alive(counter.pids()).length > 0 && Date.now() - t0 < waitMs) await settle(50);
  const afterIdle = alive(counter.pids()).length;
  await reapWorkers(counter.pids());
  return { afterAnswer, afterIdle, exitMs: Date.now() - t0 };
}

export async function footprint(
  entry: string,
  bare: string,
  rounds: number,
  requests = 10_000,
  node = process.execPath,
): Promise<SuiteResult> {
  const w: Array<{ idle: number; loaded: number }> = [];
  const b: Array<{ idle: number; loaded: number }> = [];
  for (let r = 0; r < rounds; r += 1) {
    w.push(await rssOnce(entry, requests, node));
    b.push(await rssOnce(bare, requests, node));
  }
  const idle = await idleExit(node);
  const data = {
    entry,
    requests,
    rounds,
    idleMiB: summarize(
      w.map((x) => x.idle),
      1,
    ),
    loadedMiB: summarize(
      w.map((x) => x.loaded),
      1,
    ),
    bareIdleMiB: summarize(
      b.map((x) => x.idle),
      1,
    ),
    bareLoadedMiB: summarize(
      b.map((x) => x.loaded),
      1,
    ),
    idleVsBare: pairedRatio(
      w.map((x) => x.idle),
      b.map((x) => x.idle),
    ),
    loadedVsBare: pairedRatio(
      w.map((x) => x.loaded),
      b.map((x) => x.loaded),
    ),
    idleExit: idle,
  };
  const rows: Row[] = [
    {
      figure: 'worker RSS idle, after the first answer',
      value: `${fmt(data.idleMiB, 'MiB')}; ${fmtRatio(data.idleVsBare)} bare`,
    },
    {
      figure: `worker RSS after ${requests} requests`,
      value: `${fmt(data.loadedMiB, 'MiB')}; ${fmtRatio(data.loadedVsBare)} bare`,
    },
    {
      figure: 'worker processes: after an answer / after idle exit',
      value: `${idle.afterAnswer} / ${idle.afterIdle}`,
      target: '1 / 0',
      met: idle.afterAnswer === 1 && idle.afterIdle === 0,
    },
  ];
  return { data, rows };
}
