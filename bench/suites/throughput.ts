// Suite 4, warm throughput: requests/s through the activated socket versus the same worker binding the port itself (--listen).
import { activateOnFirstConnection } from '../lib/activate.js';
import { fmt, fmtRatio } from '../lib/format.js';
import { loadFor } from '../lib/load.js';
import { freePort, timedGet, waitForHealth } from '../lib/net.js';
import { start, stop } from '../lib/procs.js';
import type { SuiteResult } from '../lib/results.js';
import { pairedRatio, summarize } from '../lib/stats.js';

export interface ThroughputOptions {
  entry: string;
  rounds: number;
  seconds: number;
  connections?: number;
  node?: string;
}

/** Both workers up at once: one started by a first connection to an activated socket, one bound with --listen. */
async function startBoth(entry: string, node: string) {
  const activated = await activateOnFirstConnection(await freePort(), { argv: [node, entry] });
  await timedGet(activated.port);
  const listenPort = await freePort();
  const listening = start([node, entry, '--listen', `127.0.0.1:${listenPort}`]);
  await waitForHealth(listenPort);
  return { activated, listenPort, stopAll: () => Promise.all([activated.stop(), stop(listening)]) };
}

/** Alternates the two arms round by round (order flipped every round), after a discarded warm-up of each. */
export async function throughput(opts: ThroughputOptions): Promise<SuiteResult> {
  const node = opts.node ?? process.execPath;
  const c = opts.connections ?? 10;
  const { activated, listenPort, stopAll } = await startBoth(opts.entry, node);
  const act: number[] = [];
  const lis: number[] = [];
  let errors = 0;
  try {
    await loadFor(activated.port, 1, c);
    await loadFor(listenPort, 1, c);
    for (let r = 0; r < opts.rounds; r += 1) {
      const arms: Array<[number, number[]]> = [
        [activated.port, act],
        [listenPort, lis],
      ];
      for (const [port, into] of r % 2 === 0 ? arms : arms.reverse()) {
        const load = await loadFor(port, opts.seconds, c);
        into.push(load.rps);
        errors += load.errors;
      }
    }
  } finally {
    await stopAll();
  }
  const ratio = pairedRatio(act, lis);
  const data = {
    entry: opts.entry,
    connections: c,
    seconds: opts.seconds,
    rounds: opts.rounds,
    errors,
    activatedRps: summarize(act, 0),
    listenRps: summarize(lis, 0),
    ratio,
  };
  return {
    data,
    rows: [
      {
        figure: 'warm req/s, activated socket ÷ --listen',
        value: fmtRatio(ratio),
        target: '≥ 0.95×',
        met: ratio.median >= 0.95,
      },
      {
        figure: `warm req/s through the activated socket (${c} connections)`,
        value: fmt(data.activatedRps, 'req/s', 0),
      },
      { figure: 'warm load errors', value: String(errors), target: '0', met: errors === 0 },
    ],
  };
}
