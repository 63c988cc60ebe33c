// Handoff activation: the LISTEN_FDS protocol, marked INITSOCK_ACTIVATION=handoff, when a plain process (not an init system) bound the port.
import { LISTEN_FDNAMES, LISTEN_FDS, LISTEN_PID } from '../contract/index.js';
import type { StdioNull, StdioPipe } from 'node:child_process';
import type { Server } from 'node:net';
import type { Stream } from 'node:stream';
import { InitsockError } from '../errors.js';
import type { Activation, ActivationSource } from './types.js';

/** One entry of child_process.spawn's stdio array. */
export type StdioEntry = StdioNull | StdioPipe | 'ipc' | Stream | number | null | undefined;
import { LISTEN_FDS_START, takeListenEnv, type ListenEnvSourceOptions } from './systemd.js';

/** The variable that marks the LISTEN_* variables as set by a handoff rather than by systemd. */
export const ACTIVATION_ENV = 'INITSOCK_ACTIVATION';
export const HANDOFF_MARKER = 'handoff';
export { LISTEN_PID as LISTEN_PID_ENV, LISTEN_FDS as LISTEN_FDS_ENV, LISTEN_FDNAMES as LISTEN_FDNAMES_ENV };

/** True when `env` carries the handoff marker. */
export function isHandoffEnv(env: NodeJS.ProcessEnv): boolean {
  return env[ACTIVATION_ENV] === HANDOFF_MARKER;
}

/**
 * The environment for a worker that receives `names.length` listening sockets at fds 3, 4, ... (pass them as
 * `stdio[3]`, `stdio[4]`, ... of child_process.spawn). LISTEN_PID must be the child's own pid, which the parent
 * cannot know before spawning, so it is left out here: spawn through `handoffCommand()`, which sets it.
 */
export function handoffEnv(base: NodeJS.ProcessEnv, names: string[] = ['initsock']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  delete env[LISTEN_PID];
  env[LISTEN_FDS] = String(names.length);
  env[LISTEN_FDNAMES] = names.join(':');
  env[ACTIVATION_ENV] = HANDOFF_MARKER;
  return env;
}

/**
 * Wraps `command args...` in /bin/sh so that LISTEN_PID is the worker's own pid: the shell exports its pid ($$)
 * and then execs the command, which keeps that pid. Returns [file, args] for child_process.spawn.
 */
export function handoffCommand(command: string, args: string[] = []): [string, string[]] {
  return ['/bin/sh', ['-c', `${LISTEN_PID}=$$; export ${LISTEN_PID}; exec "$@"`, 'initsock-handoff', command, ...args]];
}

/**
 * The fd of a listening net.Server. Node has no public API for it, so this reads the handle's fd (POSIX only).
 * Passing the Server itself in spawn's stdio does not work: child_process then tries to pause it as a stream.
 */
export function serverFd(server: Server): number {
  const fd = (server as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) {
    throw new InitsockError(
      'BAD_FD',
      'cannot hand over the socket: the server is not listening (or this platform has no ' +
        'fds). Call listen() and wait for "listening" before spawning the worker.',
    );
  }
  return fd;
}

/**
 * The stdio array for spawn: the three given entries, then each listening socket (a net.Server or an fd) at 3, 4, ...
 * After spawning, close the parent's servers at once (server.close()), in the same tick, so the parent never
 * accepts a connection meant for the worker.
 */
export function handoffStdio(
  stdio: [StdioEntry, StdioEntry, StdioEntry],
  sockets: Array<Server | number>,
): StdioEntry[] {
  const out: StdioEntry[] = [...stdio];
  sockets.forEach((s, i) => {
    out[LISTEN_FDS_START + i] = typeof s === 'number' ? s : serverFd(s);
  });
  return out;
}

/** The handoff activation source: null when no LISTEN_PID is for us, and also when the marker is missing. */
export function handoffSource(options: ListenEnvSourceOptions = {}): ActivationSource {
  return {
    kind: 'handoff',
    activate(): Activation | null {
      const env = options.env ?? process.env;
      if (!isHandoffEnv(env)) return null;
      const parsed = takeListenEnv(options);
      return parsed.status === 'ok' ? { kind: 'handoff', sockets: parsed.sockets } : null;
    },
  };
}
