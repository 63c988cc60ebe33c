// Suite 2, against the hand-made way: a check-spawn-poll hook versus `initsock request`, 1 and 30 hooks on a cold port.
//
// Three arms per round, each on its own cold port, in an order that rotates from round to round:
// - hand-made: today's plugins, no init system (bench/handmade/hook.ts: check /health, spawn, poll every 100 ms);
// - initsock: the port owned by socket activation, as after `install-service` (systemd-socket-activate holds it
//   here: the same LISTEN_FDS hand-over as systemd --user, without a manager), the hooks run `initsock request`;
// - initsock fallback: nothing installed, `initsock request` binds the port and hands it to the worker it starts;
// - curl (when installed): the socket-activated port again, with `curl` as the hook. Not a target: it shows what
//   is left once the hook need not be a Node process, since with 30 hooks on 2 cores Node's own start-up dominates.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { activateOnFirstConnection } from '../lib/activate.js';
import { fmt, fmtRatio } from '../lib/format.js';
import { scratchEnv, wave, type Wave, type WaveSetup } from '../lib/hooks.js';
import { freeLowPort } from '../lib/net.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { pairedRatio, summarize, type Summary } from '../lib/stats.js';
import { fastEntryState, handmadeHook, initsockCli, workDir } from '../lib/variants.js';

export interface HandmadeOptions {
  /** The worker every arm starts: the client's default entry, so only the way of starting it differs. */
  entry: string;
  /** Rounds per hook count, e.g. { 1: 7, 30: 4 }. */
  rounds: Record<number, number>;
  node?: string;
}

type ArmId = 'handmade' | 'activated' | 'fallback' | 'curl';

/** The arms this machine can run: the curl arm only where curl is installed. */
function arms(): ArmId[] {
  const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
  return hasCurl ? ['handmade', 'activated', 'fallback', 'curl'] : ['handmade', 'activated', 'fallback'];
}

/** One wave of `n` hooks for one arm, on a fresh cold port. */
async function runArm(
  id: ArmId,
  n: number,
  r: number,
  opts: HandmadeOptions,
  env: Record<string, string>,
): Promise<Wave> {
  const node = opts.node ?? process.execPath;
  const dir = join(workDir, 'handmade');
  const port = String(await freeLowPort());
  const client = [node, initsockCli, 'request', '--port', port, 'GET', '/health'];
  if (id === 'handmade') return wave(dir, `hand-${n}-${r}`, n, [node, handmadeHook, port, opts.entry], env);
  if (id === 'fallback') return wave(dir, `fallback-${n}-${r}`, n, client, env);
  // systemd-socket-activate passes only the variables given with -E: the scratch home and the start counter.
  const setup: WaveSetup = async (counterEnv) => {
    const workerEnv = Object.fromEntries(
      Object.entries({ ...env, ...counterEnv }).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const sock = await activateOnFirstConnection(Number(port), { argv: [node, opts.entry], env: workerEnv });
    return () => sock.stop();
  };
  const hook = id === 'curl' ? ['curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1:${port}/health`] : client;
  return wave(dir, `${id}-${n}-${r}`, n, hook, env, setup);
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
  /** initsock with the port held by socket activation (the installed setup). */
  initsock: Arm;
  /** initsock with nothing installed: the client's fallback activation. */
  fallback: Arm;
  ratioMedian: Summary;
  ratioLast: Summary;
  fallbackRatioMedian: Summary;
  /** curl as the hook on the socket-activated port ÷ hand-made (null without curl). */
  curlRatioMedian: Summary | null;
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

function figures(n: number, w: Record<ArmId, Wave[]>): HookFigures {
  const med = (ws: Wave[]): number[] => ws.map((x) => x.medianMs);
  const last = (ws: Wave[]): number[] => ws.map((x) => x.lastMs);
  return {
    hooks: n,
    rounds: w.handmade.length,
    handmade: arm(w.handmade),
    initsock: arm(w.activated),
    fallback: arm(w.fallback),
    ratioMedian: pairedRatio(med(w.activated), med(w.handmade)),
    ratioLast: pairedRatio(last(w.activated), last(w.handmade)),
    fallbackRatioMedian: pairedRatio(med(w.fallback), med(w.handmade)),
    curlRatioMedian: w.curl.length ? pairedRatio(med(w.curl), med(w.handmade)) : null,
    ratioCpu: pairedRatio(
      w.activated.map((x) => x.hookCpuMs),
      w.handmade.map((x) => x.hookCpuMs),
    ),
  };
}

function rows(f: HookFigures): Row[] {
  const n = f.hooks;
  const hooks = `${n} hook${n > 1 ? 's' : ''}`;
  const oneEach = [...f.initsock.workersStarted, ...f.fallback.workersStarted].every((c) => c === 1);
  const all = [...f.initsock.answered, ...f.fallback.answered].every((a) => a === n);
  const out: Row[] = [
    {
      figure: `${hooks}: initsock (socket activation) ÷ hand-made, median hook latency`,
      value: fmtRatio(f.ratioMedian),
      target: '≤ 0.7×',
      met: f.ratioMedian.median <= 0.7,
    },
    {
      figure: `${hooks}: initsock fallback (nothing installed) ÷ hand-made, median hook latency`,
      value: fmtRatio(f.fallbackRatioMedian),
    },
    { figure: `${hooks}: hand-made median hook latency`, value: fmt(f.handmade.medianMs, 'ms') },
    {
      figure: `${hooks}: workers started, hand-made / initsock / fallback`,
      value: `${range(f.handmade.workersStarted)} / ${range(f.initsock.workersStarted)} / ${range(f.fallback.workersStarted)}`,
      target: 'initsock = 1',
      met: oneEach,
    },
    {
      figure: `${hooks}: initsock hooks answered (socket activation, fallback)`,
      value: `${range(f.initsock.answered)}, ${range(f.fallback.answered)} of ${n}`,
      target: `${n} of ${n}`,
      met: all,
    },
  ];
  if (f.curlRatioMedian)
    out.splice(2, 0, {
      figure: `${hooks}: curl as the hook (socket activation) ÷ hand-made, median hook latency`,
      value: fmtRatio(f.curlRatioMedian),
    });
  if (n > 1)
    out.splice(1, 0, {
      figure: `${hooks}: initsock (socket activation) ÷ hand-made, last hook`,
      value: fmtRatio(f.ratioLast),
    });
  out.push({
    figure: `${hooks}: CPU per hook process, initsock ÷ hand-made`,
    value: `${fmtRatio(f.ratioCpu)}; initsock ${fmt(f.initsock.hookCpuMs, 'ms', 0)}`,
  });
  return out;
}

function range(xs: number[]): string {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** Runs the rounds for each hook count; each round runs every arm once, starting with a different arm each time. */
export async function handmade(opts: HandmadeOptions): Promise<SuiteResult> {
  const env = scratchEnv(join(workDir, 'handmade'));
  mkdirSync(join(workDir, 'handmade'), { recursive: true });
  const data: Record<string, unknown> = {
    entry: opts.entry,
    cli: initsockCli,
    cliState: fastEntryState(initsockCli),
    pollMs: 100,
  };
  const out: Row[] = [];
  const ids = arms();
  for (const [nText, count] of Object.entries(opts.rounds)) {
    const n = Number(nText);
    const waves: Record<ArmId, Wave[]> = { handmade: [], activated: [], fallback: [], curl: [] };
    for (let r = 0; r < count; r += 1) {
      for (let i = 0; i < ids.length; i += 1) {
        const id = ids[(r + i) % ids.length] as ArmId;
        waves[id].push(await runArm(id, n, r, opts, env));
      }
    }
    const f = figures(n, waves);
    data[`hooks${n}`] = f;
    out.push(...rows(f));
  }
  return { data, rows: out };
}
