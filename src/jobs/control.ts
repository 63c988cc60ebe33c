// Reading and stopping jobs: each takes the key's gate, so what it sees of the runner and the pending run is consistent.
import { existsSync, readdirSync } from 'node:fs';
import { InitsockError } from '../errors.js';
import { describeFailure, runCommand, type CommandRunner } from '../exec/runner.js';
import { isLocked, lock } from './flock.js';
import { jobId, jobUnit } from './key.js';
import type { JobMode } from './mode.js';
import { jobFiles, type JobFiles } from './paths.js';
import { STOP_GRACE_MS } from './run-once.js';
import { readJson, removeFile, type JobStatus, type RunResult } from './state.js';

export interface ControlContext {
  dir: string;
  mode: JobMode;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  run?: CommandRunner;
}

/** One row of `initsock job list`. dead: the status says running but no runner holds the key (it was killed). */
export interface JobInfo {
  key: string;
  id: string;
  unit?: string;
  state: 'running' | 'waiting' | 'idle' | 'dead';
  pid?: number;
  startedAt?: string;
  pending: boolean;
  runs: number;
  last?: RunResult;
}

async function inspect(
  files: JobFiles,
  timeoutMs: number,
): Promise<{ status: JobStatus | null; alive: boolean; pending: boolean }> {
  const gate = await lock(files.gate, timeoutMs);
  try {
    return {
      status: readJson<JobStatus>(files.status),
      alive: isLocked(files.run),
      pending: existsSync(files.pending),
    };
  } finally {
    gate.release();
  }
}

function info(id: string, s: { status: JobStatus; alive: boolean; pending: boolean }): JobInfo {
  const st = s.status;
  const state = st.state === 'idle' ? 'idle' : s.alive ? st.state : 'dead';
  const active = state === 'running' || state === 'waiting';
  return {
    key: st.key,
    id,
    unit: st.mode === 'systemd' ? jobUnit(id) : undefined,
    state,
    pid: active ? st.jobPid : undefined,
    startedAt: active ? st.startedAt : undefined,
    pending: s.pending,
    runs: st.run,
    last: st.runs.at(-1),
  };
}

/** Every job of this user that has a status record, sorted by key. */
export async function listJobs(ctx: ControlContext): Promise<JobInfo[]> {
  let names: string[];
  try {
    names = readdirSync(ctx.dir);
  } catch {
    return [];
  }
  const out: JobInfo[] = [];
  for (const id of names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5))) {
    const s = await inspect(jobFiles(ctx.dir, id), ctx.timeoutMs);
    if (s.status) out.push(info(id, { ...s, status: s.status }));
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The job of `key`, or null when it never ran. */
export async function jobInfo(key: string, ctx: ControlContext): Promise<JobInfo | null> {
  const id = jobId(key);
  const s = await inspect(jobFiles(ctx.dir, id), ctx.timeoutMs);
  return s.status ? info(id, { ...s, status: s.status }) : null;
}

/**
 * Drops the pending follow-up and stops the active run with its whole process tree (TERM, then KILL after the
 * grace). Resolves with what there was to stop. Under systemd `systemctl --user stop` ends the unit's cgroup.
 */
export async function stopJob(
  key: string,
  ctx: ControlContext,
): Promise<{ stopped: boolean; cancelledPending: boolean }> {
  const id = jobId(key);
  const files = jobFiles(ctx.dir, id);
  const gate = await lock(files.gate, ctx.timeoutMs);
  let state;
  try {
    state = {
      status: readJson<JobStatus>(files.status),
      alive: isLocked(files.run),
      pending: existsSync(files.pending),
    };
    removeFile(files.pending);
  } finally {
    gate.release();
  }
  if (!state.alive) return { stopped: false, cancelledPending: state.pending };
  if (ctx.mode === 'systemd') await stopUnit(jobUnit(id), ctx);
  else await stopProcess(files, state.status, ctx);
  return { stopped: true, cancelledPending: state.pending };
}

async function stopUnit(unit: string, ctx: ControlContext): Promise<void> {
  const res = await (ctx.run ?? runCommand)(['systemctl', '--user', 'stop', unit], {
    env: ctx.env,
    timeoutMs: STOP_GRACE_MS + 30_000,
  });
  if (res.code !== 0) {
    throw new InitsockError(
      'COMMAND_FAILED',
      `cannot stop ${unit}: ${describeFailure(res)}. See \`systemctl --user status ${unit}\`.`,
    );
  }
}

/** SIGTERM to the runner, which ends the tree; if it is still there after the grace and a margin, SIGKILL it and the group. */
async function stopProcess(files: JobFiles, status: JobStatus | null, ctx: ControlContext): Promise<void> {
  const signal = (pid: number | undefined, sig: NodeJS.Signals) => {
    try {
      if (pid) process.kill(pid, sig);
    } catch {
      /* gone */
    }
  };
  signal(status?.runnerPid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS + 3000;
  while (Date.now() < deadline) {
    if (!(await inspect(files, ctx.timeoutMs)).alive) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  signal(status?.runnerPid, 'SIGKILL');
  if (status?.jobPid) signal(-status.jobPid, 'SIGKILL');
}
