// A job's records: the pending request (the next run's command) and the status (current run, recent results), as JSON files.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { JobMode } from './mode.js';

/** How the runner of a pending request was started, to tell a starting runner from a lost request. */
export type Launch = { kind: 'process'; pid: number } | { kind: 'systemd'; unit: string };

/** What to run: the latest trigger's command, with its folder and environment. */
export interface JobRequest {
  key: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** Per run; 0 = no limit. */
  maxRuntimeMs: number;
  /** Global cap on runs at once across keys; 0 = none. */
  maxParallel: number;
  /** systemd TasksMax= / MemoryMax= of the runner's unit; not enforced in process mode (the CLI says so). */
  tasksMax?: string;
  memoryMax?: string;
  requestedAt: string;
  launch?: Launch;
}

/** How one run ended. exitCode is null when a signal ended it. */
export interface RunResult {
  run: number;
  startedAt: string;
  endedAt: string;
  exitCode: number | null;
  signal: string | null;
  reason: 'exited' | 'max-runtime' | 'stopped' | 'spawn-failed';
  error?: string;
}

export interface JobStatus {
  key: string;
  id: string;
  mode: JobMode;
  unit?: string;
  /** running: the command runs; waiting: for a --max-parallel slot; idle: no run. */
  state: 'running' | 'waiting' | 'idle';
  /** Runs started so far (the current one included). */
  run: number;
  runnerPid?: number;
  jobPid?: number;
  startedAt?: string;
  /** The most recent results, newest last. */
  runs: RunResult[];
}

/** Results kept per key: enough for every --wait caller of a burst to find its run. */
export const KEPT_RESULTS = 20;

/** Parses a JSON record, or null when the file is missing or torn (it is then rewritten whole by its owner). */
export function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Writes a record whole (temp file, then rename), so a reader never sees half of it. */
export function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
  renameSync(tmp, path);
}

export function removeFile(path: string): void {
  rmSync(path, { force: true });
}

/** A fresh status for a key that never ran. */
export function emptyStatus(key: string, id: string, mode: JobMode): JobStatus {
  return { key, id, mode, state: 'idle', run: 0, runs: [] };
}

/** The status with `result` appended (oldest results dropped) and no current run. */
export function withResult(status: JobStatus, result: RunResult): JobStatus {
  const runs = [...status.runs, result].slice(-KEPT_RESULTS);
  return { ...status, state: 'idle', jobPid: undefined, startedAt: undefined, runs };
}
