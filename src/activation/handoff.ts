// Handoff activation: the LISTEN_FDS protocol, marked INITSOCK_ACTIVATION=handoff, when a plain process (not an init system) bound the port.
import type { Activation, ActivationSource } from './types.js';
import { LISTEN_FDS_START, takeListenEnv, type ListenEnvSourceOptions } from './systemd.js';

/** The variable that marks the LISTEN_* variables as set by a handoff rather than by systemd. */
export const ACTIVATION_ENV = 'INITSOCK_ACTIVATION';
export const HANDOFF_MARKER = 'handoff';
export const LISTEN_PID_ENV = 'LISTEN_PID';
export const LISTEN_FDS_ENV = 'LISTEN_FDS';
export const LISTEN_FDNAMES_ENV = 'LISTEN_FDNAMES';

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
  delete env[LISTEN_PID_ENV];
  env[LISTEN_FDS_ENV] = String(names.length);
  env[LISTEN_FDNAMES_ENV] = names.join(':');
  env[ACTIVATION_ENV] = HANDOFF_MARKER;
  return env;
}

/**
 * Wraps `command args...` in /bin/sh so that LISTEN_PID is the worker's own pid: the shell exports its pid ($$)
 * and then execs the command, which keeps that pid. Returns [file, args] for child_process.spawn.
 */
export function handoffCommand(command: string, args: string[] = []): [string, string[]] {
  return ['/bin/sh', ['-c', `${LISTEN_PID_ENV}=$$; export ${LISTEN_PID_ENV}; exec "$@"`, 'initsock-handoff', command, ...args]];
}

/** The stdio array for spawn: the three given stdio entries, then each socket (or fd) at 3, 4, ... */
export function handoffStdio<T>(stdio: [unknown, unknown, unknown], sockets: T[]): unknown[] {
  const out: unknown[] = [...stdio];
  sockets.forEach((s, i) => { out[LISTEN_FDS_START + i] = s; });
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
