// Starts a fallback worker: detached in its own session, handed the listening socket as fd 3 (LISTEN_FDS), logging to a file.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Server } from 'node:net';
import { handoffEnv, handoffStdio } from '../activation/handoff.js';
import { InitsockError } from '../errors.js';
import { childProcess } from '../util/builtin.js';
import { homeOf } from './paths.js';
import { isShellStartupVar, wrapperArgv } from './wrapper.js';

export interface WorkerLaunch {
  /** Absolute path of the worker entry script (default: the bundled dist/src/bin/worker.js). */
  entry: string;
  /** Service name: LISTEN_FDNAMES and INITSOCK_NAME. */
  name: string;
  logFile: string;
  /** Extra environment for the worker (INITSOCK_APP, INITSOCK_IDLE_TIMEOUT, INITSOCK_TOKEN_FILE...). */
  extraEnv: Record<string, string>;
  /** Base environment (default process.env). */
  env: NodeJS.ProcessEnv;
}

/**
 * Spawns the worker with `server`'s socket as fd 3, stdin on /dev/null and stdout/stderr appended
 * to the log file. It runs in a new session (setsid), is unref'd, and its working directory is the
 * home folder (as under systemd --user), so the hook can exit at once and the worker outlives it.
 * The caller closes its own copy of the socket afterwards. Returns the child for early-exit checks.
 */
export function spawnWorker(server: Server, launch: WorkerLaunch): ChildProcess {
  const socketFd = listeningFd(server);
  const logFd = openLog(launch.logFile);
  try {
    const { file, args } = wrapperArgv([process.execPath, launch.entry]);
    const child = childProcess().spawn(file, args, {
      detached: true,
      cwd: homeOf(launch.env),
      env: workerEnv(launch),
      stdio: handoffStdio(['ignore', logFd, logFd], [socketFd]) as Array<'ignore' | number>,
    });
    child.on('error', () => {
      /* reported through the early-exit check: the socket closes unanswered */
    });
    child.unref();
    return child;
  } finally {
    closeSync(logFd);
  }
}

/** The environment the worker sees: ours, minus shell startup code and stale activation, plus the handoff. */
export function workerEnv(launch: WorkerLaunch): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(launch.env)) {
    if (!isShellStartupVar(key) && key !== 'INITSOCK_LISTEN') base[key] = value;
  }
  const extra = { ...launch.extraEnv, INITSOCK_NAME: launch.name, INITSOCK_LOG_FILE: launch.logFile };
  return handoffEnv({ ...base, ...extra }, [launch.name]);
}

/** The fd behind a listening net.Server. Node has no public accessor; `_handle.fd` is stable on Unix. */
function listeningFd(server: Server): number {
  const fd = (server as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) {
    throw new InitsockError(
      'BAD_FD',
      'cannot hand the port to a fallback worker: the listening socket has no file descriptor. ' +
        'This Node.js build does not expose it; install the service with `install-service` instead.',
    );
  }
  return fd;
}

/** Opens the log for appending, creating its folder with mode 0700 and the file with 0600. */
function openLog(path: string): number {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    chmodSync(dirname(path), 0o700);
    return openSync(path, 'a', 0o600);
  } catch (err) {
    throw new InitsockError(
      'WRITE_FAILED',
      `cannot open the fallback worker's log ${path}: ${(err as Error).message}. ` +
        'Make sure $XDG_STATE_HOME (or ~/.local/state) is writable.',
      { cause: err, details: { path } },
    );
  }
}
