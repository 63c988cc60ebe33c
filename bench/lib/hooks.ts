// Runs N hook processes at once against one port and records each one's latency, exit code and the workers they started.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, startCounter } from './procs.js';
import { median } from './stats.js';

/** What one wave of concurrent hooks saw. */
export interface Wave {
  /** Each hook's time from spawn to exit, in ms. */
  latencies: number[];
  /** Hooks that exited 0 (got their answer). */
  answered: number;
  /** Worker processes started during the wave (counted by a preload, losers of a bind race included). */
  workersStarted: number;
  /** Median CPU time (user + system) one hook process used. */
  hookCpuMs: number;
  /** What the first hooks that failed printed (exit code and the end of stderr). */
  failures: string[];
  medianMs: number;
  lastMs: number;
}

/** A private home, so no installed unit or earlier log is found, and the fallback writes its log in the scratch folder. */
export function scratchEnv(dir: string): Record<string, string> {
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  return { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.local', 'state') };
}

function timedProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number; stderr: string }> {
  const t0 = performance.now();
  const proc = start(argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return proc.exited.then((code) => ({ ms: performance.now() - t0, code, stderr }));
}

/** The pids in `pids` that are still running (zombies of our own children count as gone). */
export function alive(pids: readonly number[]): number[] {
  return pids.filter((p) => {
    try {
      process.kill(p, 0);
      return !/State:\s+Z/.test(readFileSync(`/proc/${p}/status`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Kills the workers a wave started (only those: the machine is shared) and waits until they are gone. */
export async function reapWorkers(pids: number[]): Promise<void> {
  for (let i = 0; i < 100 && alive(pids).length > 0; i += 1) {
    for (const pid of alive(pids)) {
      try {
        process.kill(pid, i < 50 ? 'SIGTERM' : 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Sets up what the hooks of a wave meet before they start (e.g. a socket-activated port) and returns how to tear it
 * down. `counterEnv` is the environment that makes a worker log its start, for workers the hooks do not spawn.
 */
export type WaveSetup = (counterEnv: NodeJS.ProcessEnv) => Promise<() => Promise<void>>;

/** Starts `n` copies of `argv` at once (all with `env`), waits for every one to exit, then reaps the workers they started. */
export async function wave(
  dir: string,
  tag: string,
  n: number,
  argv: string[],
  env: Record<string, string>,
  setup?: WaveSetup,
): Promise<Wave> {
  const counter = startCounter(dir, tag, 'worker');
  const fullEnv = { ...process.env, ...env, ...counter.env };
  const teardown = setup ? await setup(counter.env) : null;
  let runs: Array<{ ms: number; code: number; stderr: string }>;
  try {
    runs = await Promise.all(Array.from({ length: n }, () => timedProcess(argv, fullEnv)));
  } finally {
    await teardown?.();
  }
  const started = counter.pids();
  await reapWorkers(started);
  const latencies = runs.map((r) => Number(r.ms.toFixed(2)));
  return {
    latencies,
    answered: runs.filter((r) => r.code === 0).length,
    workersStarted: started.length,
    hookCpuMs: median(counter.hookCpuMs()),
    failures: runs
      .filter((r) => r.code !== 0)
      .slice(0, 3)
      .map((r) => `exit ${r.code}: ${r.stderr.trim().slice(-300)}`),
    medianMs: median(latencies),
    lastMs: Math.max(...latencies),
  };
}
