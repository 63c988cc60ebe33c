// The jobs library: runJob (trigger, optionally wait), plus list and stop, all taking their paths and mode from an environment.
import { checkCommand } from './command.js';
import {
  jobInfo as jobInfoIn,
  listJobs as listIn,
  stopJob as stopIn,
  type ControlContext,
  type JobInfo,
} from './control.js';
import { checkKey, jobId } from './key.js';
import { jobMode } from './mode.js';
import { jobFiles, jobsDir } from './paths.js';
import type { JobRequest, RunResult } from './state.js';
import { trigger, type Answer, type TriggerContext } from './trigger.js';
import { waitForRun } from './wait.js';

/** Without --wait a trigger gives up on a stuck gate after this long. */
export const DEFAULT_TRIGGER_TIMEOUT_MS = 10_000;

export interface RunJobOptions {
  /** Names the job: at most one run per key at a time. Any non-empty string. */
  key: string;
  /** The command and its arguments (no shell). */
  command: string[];
  /** Resolve only when a run that started after this call has ended (default false). */
  wait?: boolean;
  /** Total time limit; without `wait` default 10 s, with it none. */
  timeoutMs?: number;
  /** Stop a run (its whole tree) that takes longer; 0 or absent = no limit. */
  maxRuntimeMs?: number;
  /** At most this many runs at once across all keys; 0 or absent = no cap. */
  maxParallel?: number;
  /** systemd TasksMax= / MemoryMax= for the run (systemd only). */
  tasksMax?: string;
  memoryMax?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunJobResult {
  answer: Answer;
  /** The run that covers this call. */
  run: number;
  /** With `wait`: how that run ended. */
  result?: RunResult;
}

function context(env: NodeJS.ProcessEnv, timeoutMs: number): TriggerContext & ControlContext {
  return { dir: jobsDir(env), mode: jobMode(env), env, timeoutMs };
}

function request(o: RunJobOptions, env: NodeJS.ProcessEnv, cwd: string): JobRequest {
  const clean = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return {
    key: o.key,
    argv: o.command,
    cwd,
    env: clean,
    maxRuntimeMs: o.maxRuntimeMs ?? 0,
    maxParallel: o.maxParallel ?? 0,
    tasksMax: o.tasksMax,
    memoryMax: o.memoryMax,
    requestedAt: new Date().toISOString(),
  };
}

/**
 * Triggers the job of `o.key`: starts a run now when none is active, else leaves one follow-up that starts when the
 * active run ends. Throws BAD_USAGE for an empty key, no command or a command that does not exist (nothing recorded).
 */
export async function runJob(o: RunJobOptions): Promise<RunJobResult> {
  const env = o.env ?? process.env;
  const cwd = o.cwd ?? process.cwd();
  checkKey(o.key);
  checkCommand(o.command, cwd, env);
  const deadline = Date.now() + (o.timeoutMs ?? (o.wait ? Infinity : DEFAULT_TRIGGER_TIMEOUT_MS));
  const ctx = context(env, Math.min(o.timeoutMs ?? DEFAULT_TRIGGER_TIMEOUT_MS, DEFAULT_TRIGGER_TIMEOUT_MS));
  const req = request(o, env, cwd);
  const t = await trigger(req, ctx);
  if (!o.wait) return { answer: t.answer, run: t.run };
  const target = { key: o.key, run: t.run, files: jobFiles(ctx.dir, jobId(o.key)) };
  const result = await waitForRun(target, ctx, deadline, () =>
    trigger({ ...req, requestedAt: new Date().toISOString() }, ctx),
  );
  return { answer: t.answer, run: t.run, result };
}

/** The exit code that stands for a run's end: its own, or 128 + the signal number when a signal ended it. */
export function exitCodeOf(result: RunResult): number {
  if (result.exitCode !== null) return result.exitCode;
  return 128 + (result.signal ? osSignal(result.signal) : 0);
}

function osSignal(name: string): number {
  return (process.getBuiltinModule('node:os').constants.signals as Record<string, number>)[name] ?? 0;
}

export async function listJobs(env: NodeJS.ProcessEnv = process.env): Promise<JobInfo[]> {
  return listIn(context(env, DEFAULT_TRIGGER_TIMEOUT_MS));
}

export async function jobInfo(key: string, env: NodeJS.ProcessEnv = process.env): Promise<JobInfo | null> {
  return jobInfoIn(checkKey(key), context(env, DEFAULT_TRIGGER_TIMEOUT_MS));
}

/** Stops the key's active run (whole tree) and drops its pending follow-up. */
export async function stopJob(
  key: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stopped: boolean; cancelledPending: boolean }> {
  return stopIn(checkKey(key), context(env, DEFAULT_TRIGGER_TIMEOUT_MS));
}
