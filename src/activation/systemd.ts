// systemd socket activation: a pure parser of LISTEN_PID / LISTEN_FDS / LISTEN_FDNAMES, and the source built on it.
import { ACTIVATION_MARKER, LISTEN_FDNAMES, LISTEN_FDS, LISTEN_FDS_START, LISTEN_PID } from '../contract/index.js';
import { InitsockError } from '../errors.js';
import type { Activation, ActivationSource, InheritedSocket } from './types.js';

export { LISTEN_FDS_START };
/** More fds than this is treated as garbage: no real socket unit passes thousands of listeners. */
export const MAX_LISTEN_FDS = 1024;
/** The variables of the protocol, plus our own handoff marker; all are removed once the fds are taken. */
export const LISTEN_ENV_NAMES = [LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES, ACTIVATION_MARKER] as const;

/**
 * What the environment says, when it is well-formed:
 * - `absent`: no LISTEN_PID, so nobody passed us sockets (not an error);
 * - `other-process`: LISTEN_PID names another process (the variables leaked to us from a parent);
 * - `ok`: the sockets, fds 3..3+n-1, each with its name ("unknown" when LISTEN_FDNAMES is absent).
 */
export type ListenEnv =
  | { status: 'absent' }
  | { status: 'other-process'; listenPid: number }
  | { status: 'ok'; sockets: InheritedSocket[] };

function invalid(message: string, details: Record<string, unknown>): InitsockError {
  return new InitsockError(
    'INVALID_LISTEN_ENV',
    `${message} The process that started this worker set a malformed ` +
      'socket-activation environment; check its socket unit (or the fallback client) and restart it.',
    { details },
  );
}

/** Parses a strictly decimal positive integer (no sign, spaces, exponent or leading zeros) up to `max`. */
function parsePositive(name: string, raw: string, max: number): number {
  if (!/^[1-9][0-9]*$/.test(raw)) {
    if (raw === '0' && name === 'LISTEN_FDS') {
      throw new InitsockError(
        'NO_SOCKETS',
        'socket activation passed LISTEN_FDS=0: this worker was started for ' +
          'socket activation but received no socket. Check that the .socket unit has a ListenStream= line.',
      );
    }
    throw invalid(`${name}=${JSON.stringify(raw)} is not a positive integer.`, { [name]: raw });
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value > max) {
    throw invalid(`${name}=${raw} is out of range (1..${max}).`, { [name]: raw });
  }
  return value;
}

/** Splits LISTEN_FDNAMES; when absent every fd is "unknown" (as sd_listen_fds_with_names does). */
function parseNames(raw: string | undefined, count: number): string[] {
  if (raw === undefined) return Array.from({ length: count }, () => 'unknown');
  const names = raw.split(':');
  if (names.length !== count) {
    throw invalid(`LISTEN_FDNAMES has ${names.length} name(s) for LISTEN_FDS=${count}.`, { LISTEN_FDNAMES: raw });
  }
  names.forEach((n, i) => {
    if (n === '') names[i] = 'unknown';
  });
  return names;
}

/**
 * Reads the LISTEN_* protocol from `env` for the process `pid`. Pure: it neither reads nor changes process.env.
 * Throws NO_SOCKETS for LISTEN_FDS=0 and INVALID_LISTEN_ENV for a missing LISTEN_FDS, garbage or out-of-range
 * values, or a LISTEN_FDNAMES whose count differs from LISTEN_FDS.
 */
export function parseListenEnv(env: NodeJS.ProcessEnv, pid: number): ListenEnv {
  const rawPid = env[LISTEN_PID];
  if (rawPid === undefined || rawPid === '') return { status: 'absent' };
  const listenPid = parsePositive('LISTEN_PID', rawPid, 0x7fffffff);
  if (listenPid !== pid) return { status: 'other-process', listenPid };
  const rawFds = env[LISTEN_FDS];
  if (rawFds === undefined || rawFds === '') throw invalid('LISTEN_PID is set but LISTEN_FDS is missing.', {});
  const count = parsePositive('LISTEN_FDS', rawFds, MAX_LISTEN_FDS);
  const names = parseNames(env[LISTEN_FDNAMES], count);
  return { status: 'ok', sockets: names.map((name, i) => ({ fd: LISTEN_FDS_START + i, name })) };
}

/**
 * Deletes the LISTEN_* variables (and INITSOCK_ACTIVATION) so that child processes never see them.
 * The fds themselves need no work here, unlike in sd_listen_fds(): Node calls libuv's uv_disable_stdio_inheritance()
 * at start-up, which sets FD_CLOEXEC on fds 0-15 and on every fd after them up to the first closed one, so the
 * contiguous fds 3, 4, ... are never inherited by children (test/worker/activated.test.ts checks /proc).
 */
export function unsetListenEnv(env: NodeJS.ProcessEnv): void {
  for (const name of LISTEN_ENV_NAMES) delete env[name];
}

export interface ListenEnvSourceOptions {
  /** The environment to read and then clean (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** This process's pid (default: process.pid). */
  pid?: number;
}

/** Runs the parser, then always removes the variables, whether they were for us, for another process, or bad. */
export function takeListenEnv(options: ListenEnvSourceOptions): ListenEnv {
  const env = options.env ?? process.env;
  try {
    return parseListenEnv(env, options.pid ?? process.pid);
  } finally {
    unsetListenEnv(env);
  }
}

/** The systemd activation source: null when LISTEN_PID is absent or names another process. */
export function systemdSource(options: ListenEnvSourceOptions = {}): ActivationSource {
  return {
    kind: 'systemd',
    activate(): Activation | null {
      const parsed = takeListenEnv(options);
      return parsed.status === 'ok' ? { kind: 'systemd', sockets: parsed.sockets } : null;
    },
  };
}
