// One run of a job's command: spawn it in its own group, enforce --max-runtime, end its whole tree, say how it ended.
import type { ChildProcess } from 'node:child_process';
import { childProcess } from '../util/builtin.js';
import type { LogSink } from './log-sink.js';
import type { JobRequest, RunResult } from './state.js';
import { killTree } from './tree.js';

/** Time between SIGTERM and SIGKILL when a run is stopped, timed out, or leaves processes behind. */
export const STOP_GRACE_MS = 5000;

/** A run in progress: its pid and a way to stop it early. */
export interface ActiveRun {
  pid: number | undefined;
  stop(reason: 'stopped' | 'max-runtime'): void;
  done: Promise<RunResult>;
}

type Ending = Pick<RunResult, 'exitCode' | 'signal' | 'reason' | 'error'>;

/** The command in its own process group (so its tree can be signalled), its output to `sink` or our own stdio. */
function spawnJob(req: JobRequest, sink: LogSink | null): ChildProcess {
  const [file = '', ...args] = req.argv;
  const out = sink ? 'pipe' : 'inherit';
  const child = childProcess().spawn(file, args, {
    cwd: req.cwd,
    env: req.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.stdout?.on('data', (d: Buffer) => sink?.write(d));
  child.stderr?.on('data', (d: Buffer) => sink?.write(d));
  return child;
}

/** Starts run `run` of `req`. Output goes to `sink` (a bounded file) or, without one, to our own stdout/stderr (the journal). */
export function startRun(req: JobRequest, run: number, sink: LogSink | null): ActiveRun {
  const startedAt = new Date().toISOString();
  const child = spawnJob(req, sink);
  let reason: RunResult['reason'] = 'exited';
  let stopping: Promise<void> | undefined;
  const stop = (why: 'stopped' | 'max-runtime') => {
    reason = why;
    stopping ??= killTree(child.pid, STOP_GRACE_MS);
  };
  const timer = req.maxRuntimeMs > 0 ? setTimeout(() => stop('max-runtime'), req.maxRuntimeMs) : undefined;
  const ended = new Promise<Ending>((resolve) => {
    child.once('error', (err) => resolve({ exitCode: 127, signal: null, reason: 'spawn-failed', error: err.message }));
    child.once('exit', (code, sig) => resolve({ exitCode: code, signal: sig, reason }));
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const done = ended.then(async (end) => {
    clearTimeout(timer);
    // Whatever the command left behind (a daemonised helper, a setsid grandchild) ends with the run.
    await (stopping ?? killTree(child.pid, STOP_GRACE_MS));
    // Then the last output is read before the run is reported as ended (bounded: a pipe may have leaked elsewhere).
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
    return {
      run,
      startedAt,
      endedAt: new Date().toISOString(),
      ...end,
      reason: end.reason === 'spawn-failed' ? end.reason : reason,
    };
  });
  return { pid: child.pid, stop, done };
}
