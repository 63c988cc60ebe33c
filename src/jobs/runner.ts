// The runner of one key: holds the key's run lock, runs the pending request, and loops while a follow-up is pending.
import { processTree } from '../runtime/descendants.js';
import { lock, tryLock, type HeldLock } from './flock.js';
import { LogSink } from './log-sink.js';
import type { JobMode } from './mode.js';
import { ensureJobsDir, jobFiles, type JobFiles } from './paths.js';
import { startRun, type ActiveRun } from './run-once.js';
import { takeSlot } from './slots.js';
import {
  readJson,
  removeFile,
  withResult,
  writeJson,
  type JobRequest,
  type JobStatus,
  type RunResult,
} from './state.js';

const GATE_TIMEOUT_MS = 30_000;

interface Runner {
  dir: string;
  id: string;
  mode: JobMode;
  files: JobFiles;
  stopping: boolean;
  current?: ActiveRun;
}

/**
 * Runs until no request is pending, then exits; returns 0. The run lock and the decision to exit are taken under the
 * key's gate, the lock every trigger takes to decide, so a trigger either sees this runner alive (and leaves its
 * request for it) or sees it gone (and starts another): no request is ever left without a runner to take it.
 */
export async function runRunner(dir: string, id: string, mode: JobMode): Promise<number> {
  const r: Runner = { dir, id, mode, files: jobFiles(dir, id), stopping: false };
  ensureJobsDir(dir);
  processTree.adopt(); // Linux: a job's setsid grandchild re-parents here, so its tree stays findable
  let gate = await lock(r.files.gate, GATE_TIMEOUT_MS);
  const runLock = tryLock(r.files.run);
  if (!runLock) {
    gate.release();
    return 0;
  } // another runner holds the key and will take the request
  onStopSignals(r);
  const sink = mode === 'process' ? new LogSink(r.files.log) : null;
  for (;;) {
    const req = r.stopping ? null : readJson<JobRequest>(r.files.pending);
    if (!req) return finish(r, runLock, gate);
    const status = begin(r, req);
    gate.release();
    const result = await runWithSlot(r, req, status.run, sink);
    gate = await lock(r.files.gate, GATE_TIMEOUT_MS);
    writeJson(r.files.status, withResult(readStatus(r, req), result));
  }
}

function readStatus(r: Runner, req: JobRequest): JobStatus {
  return (
    readJson<JobStatus>(r.files.status) ?? { key: req.key, id: r.id, mode: r.mode, state: 'idle', run: 0, runs: [] }
  );
}

/** Takes the request (a trigger arriving from now on asks for a follow-up) and records the run as started. */
function begin(r: Runner, req: JobRequest): JobStatus {
  removeFile(r.files.pending);
  const prev = readStatus(r, req);
  const status: JobStatus = {
    ...prev,
    key: req.key,
    mode: r.mode,
    state: req.maxParallel > 0 ? 'waiting' : 'running',
    run: prev.run + 1,
    runnerPid: process.pid,
    startedAt: new Date().toISOString(),
  };
  writeJson(r.files.status, status);
  return status;
}

async function runWithSlot(r: Runner, req: JobRequest, run: number, sink: LogSink | null): Promise<RunResult> {
  const slot = await takeSlot(r.dir, req.maxParallel, () => r.stopping);
  if (r.stopping) return notStarted(run); // stopped while waiting for a slot: nothing to spawn
  const announce = `initsock job ${JSON.stringify(req.key)}: run ${run} starts: ${JSON.stringify(req.argv)}\n`;
  if (sink) sink.write(announce);
  else process.stdout.write(announce);
  r.current = startRun(req, run, sink);
  const status = readStatus(r, req);
  writeJson(r.files.status, {
    ...status,
    state: 'running',
    jobPid: r.current.pid,
    startedAt: new Date().toISOString(),
  });
  if (r.stopping) r.current.stop('stopped');
  const result = await r.current.done;
  r.current = undefined;
  slot?.release();
  const end = `initsock job ${JSON.stringify(req.key)}: run ${run} ended: ${result.reason}, exit ${result.exitCode ?? result.signal}\n`;
  if (sink) sink.write(end);
  else process.stdout.write(end);
  return result;
}

function notStarted(run: number): RunResult {
  const now = new Date().toISOString();
  return { run, startedAt: now, endedAt: now, exitCode: null, signal: null, reason: 'stopped' };
}

/** Exits the loop under the gate: record idle, then drop the run lock before the gate, so the next trigger sees it free. */
function finish(r: Runner, runLock: HeldLock, gate: HeldLock): number {
  const status = readJson<JobStatus>(r.files.status);
  if (status) writeJson(r.files.status, { ...status, state: 'idle', runnerPid: undefined, jobPid: undefined });
  runLock.release();
  gate.release();
  return 0;
}

/** SIGTERM (initsock job stop, systemctl stop, the manager going down), SIGINT, SIGHUP: stop the run's tree, take no follow-up. */
function onStopSignals(r: Runner): void {
  const stop = () => {
    r.stopping = true;
    r.current?.stop('stopped');
  };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, stop);
}
