// Where job state lives: one folder per user, per key a gate lock, a run lock, a status record, a pending request and a log.
import { mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { stateHome } from '../client/paths.js';
import { assertSafeDir } from '../security/safe-path.js';

/**
 * $XDG_RUNTIME_DIR/initsock/jobs when set (per user, 0700, gone at logout like the jobs themselves), else
 * $XDG_STATE_HOME/initsock/jobs. $INITSOCK_JOBS_DIR overrides both (tests, or several isolated job sets).
 */
export function jobsDir(env: NodeJS.ProcessEnv): string {
  if (env.INITSOCK_JOBS_DIR && isAbsolute(env.INITSOCK_JOBS_DIR)) return env.INITSOCK_JOBS_DIR;
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime && isAbsolute(runtime) ? join(runtime, 'initsock', 'jobs') : join(stateHome(env), 'initsock', 'jobs');
}

/** The files of one job. */
export interface JobFiles {
  dir: string;
  /** Held for a few file operations by whoever reads or changes the job's state. */
  gate: string;
  /** Held by the job's runner for its whole life: taken means a runner is alive. */
  run: string;
  /** The status record (JSON). */
  status: string;
  /** Present while a run is requested and not yet started: the request (JSON). */
  pending: string;
  /** Output of the job's runs when no journal takes it. */
  log: string;
}

export function jobFiles(dir: string, id: string): JobFiles {
  const base = join(dir, id);
  return {
    dir,
    gate: `${base}.gate`,
    run: `${base}.lock`,
    status: `${base}.json`,
    pending: `${base}.pending`,
    log: `${base}.log`,
  };
}

/** The lock of global slot `i` for --max-parallel. */
export function slotLock(dir: string, i: number): string {
  return join(dir, 'slots', `${i}.lock`);
}

/**
 * Creates the folder (0700) and its slots folder, and refuses (UNSAFE_PATH) one that another user could write to:
 * a pending request there is a command the runner executes as us.
 */
export function ensureJobsDir(dir: string): void {
  assertSafeDir(dir);
  mkdirSync(join(dir, 'slots'), { recursive: true, mode: 0o700 });
  assertSafeDir(join(dir, 'slots'));
}
