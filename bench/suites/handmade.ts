// Suite 2, against the hand-made way: a check-spawn-poll hook versus `initsock request`, 1 and 30 hooks on a cold port.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, fmtRatio } from '../lib/format.js';
import { scratchEnv, wave, type Wave } from '../lib/hooks.js';
import { freeLowPort } from '../lib/net.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { pairedRatio, summarize, type Summary } from '../lib/stats.js';
import { fastEntryState, handmadeHook, initsockCli, workDir } from '../lib/variants.js';

export interface HandmadeOptions {
  /** The worker both arms start: the client's default entry, so only the way of starting it differs. */
  entry: string;
  /** Rounds per hook count, e.g. { 1: 7, 30: 4 }. */
  rounds: Record<number, number>;
  node?: string;
}

/** One round: a wave of hand-made hooks on one cold port, then a wave of initsock clients on another. */
async function round(n: number, r: number, opts: HandmadeOptions, env: Record<string, string>): Promise<[Wave, Wave]> {
  const node = opts.node ?? process.execPath;
  const dir = join(workDir, 'handmade');
  const runHand = async (): Promise<Wave> =>
    wave(dir, `hand-${n}-${r}`, n, [node, handmadeHook, String(await freeLowPort()), opts.entry], env);
  const runInit = async (): Promise<Wave> =>
    wave(dir, `init-${n}-${r}`, n, [node, initsockCli, 'request', '--port', String(await freeLowPort()), 'GET', '/health'], env);
  if (r % 2 === 0) return [await runHand(), await runInit()];
  const init = await runInit(); // odd rounds go the other way round, so neither arm always runs first
  return [await runHand(), init];
}

interface Arm {
  medianMs: Summary;
  lastMs: Summary;
  workersStarted: number[];
  answered: number[];
  failures: string[];
  hookCpuMs: Summary;
}

export interface HookFigures {
  hooks: number;
  rounds: number;
  handmade: Arm;
  initsock: Arm;
  ratioMedian: Summary;
  ratioLast: Summary;
  /** CPU one initsock client process uses ÷ CPU one hand-made hook uses (what 30 hooks on 2 cores queue behind). */
  ratioCpu: Summary;
}

function arm(ws: Wave[]): Arm {
  return {
    medianMs: summarize(ws.map((w) => w.medianMs)),
    lastMs: summarize(ws.map((w) => w.lastMs)),
    workersStarted: ws.map((w) => w.workersStarted),
    answered: ws.map((w) => w.answered),
    failures: ws.flatMap((w) => w.failures).slice(0, 5),
    hookCpuMs: summarize(ws.map((w) => w.hookCpuMs)),
  };
}

function figures(n: number, hand: Wave[], init: Wave[]): HookFigures {
  const med = (ws: Wave[]): number[] => ws.map((w) => w.medianMs);
  const last = (ws: Wave[]): number[] => ws.map((w) => w.lastMs);
  return {
    hooks: n,
    rounds: hand.length,
    handmade: arm(hand),
    initsock: arm(init),
    ratioMedian: pairedRatio(med(init), med(hand)),
    ratioLast: pairedRatio(last(init), last(hand)),
    ratioCpu: pairedRatio(init.map((w) => w.hookCpuMs), hand.map((w) => w.hookCpuMs)),
  };
}

function rows(f: HookFigures): Row[] {
  const n = f.hooks;
  const hooks = `${n} hook${n > 1 ? 's' : ''}`;
  const oneEach = f.initsock.workersStarted.every((c) => c === 1);
  const all = f.initsock.answered.every((a) => a === n);
  const out: Row[] = [
    { figure: `${hooks}: initsock ÷ hand-made, median hook latency`, value: fmtRatio(f.ratioMedian), target: '≤ 0.7×', met: f.ratioMedian.median <= 0.7 },
    { figure: `${hooks}: hand-made median hook latency`, value: fmt(f.handmade.medianMs, 'ms') },
    { figure: `${hooks}: workers started, hand-made / initsock`, value: `${range(f.handmade.workersStarted)} / ${range(f.initsock.workersStarted)}`, target: 'initsock = 1', met: oneEach },
    { figure: `${hooks}: initsock hooks answered`, value: `${range(f.initsock.answered)} of ${n}`, target: `${n} of ${n}`, met: all },
  ];
  if (n > 1) out.splice(1, 0, { figure: `${hooks}: initsock ÷ hand-made, last hook`, value: fmtRatio(f.ratioLast) });
  out.push({ figure: `${hooks}: CPU per hook process, initsock ÷ hand-made`, value: `${fmtRatio(f.ratioCpu)}; initsock ${fmt(f.initsock.hookCpuMs, 'ms', 0)}` });
  return out;
}

function range(xs: number[]): string {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** Runs the rounds for each hook count, alternating the two arms inside every round. */
export async function handmade(opts: HandmadeOptions): Promise<SuiteResult> {
  const env = scratchEnv(join(workDir, 'handmade'));
  mkdirSync(join(workDir, 'handmade'), { recursive: true });
  const data: Record<string, unknown> = { entry: opts.entry, cli: initsockCli, cliState: fastEntryState(initsockCli), pollMs: 100 };
  const out: Row[] = [];
  for (const [nText, count] of Object.entries(opts.rounds)) {
    const n = Number(nText);
    const hand: Wave[] = [];
    const init: Wave[] = [];
    for (let r = 0; r < count; r += 1) {
      const [h, i] = await round(n, r, opts, env);
      hand.push(h);
      init.push(i);
    }
    const f = figures(n, hand, init);
    data[`hooks${n}`] = f;
    out.push(...rows(f));
  }
  return { data, rows: out };
}
