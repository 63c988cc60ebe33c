// The error catalogue: each stable code with its kind and meaning, one branded error class, exit codes from the kind.

/**
 * What kind of failure a code is, which is all an exit code depends on:
 * - usage: the input (or a decision only the user can make) is wrong; nothing was changed;
 * - environment: the machine lacks what is needed (an init system, a passed socket, a library);
 * - runtime: something failed while running (a command, a write, a probe, a timeout);
 * - security: a protection refused to go ahead (a path, a listener, a token, a host).
 */
export type ErrorKind = 'usage' | 'environment' | 'runtime' | 'security';

export interface CatalogueEntry {
  kind: ErrorKind;
  /** One line: what the code means, for docs/errors.md. */
  meaning: string;
}

const usage = (meaning: string): CatalogueEntry => ({ kind: 'usage', meaning });
const environment = (meaning: string): CatalogueEntry => ({ kind: 'environment', meaning });
const runtime = (meaning: string): CatalogueEntry => ({ kind: 'runtime', meaning });
const security = (meaning: string): CatalogueEntry => ({ kind: 'security', meaning });

/** Every code initsock raises. docs/errors.md is checked against this table. */
export const ERROR_CATALOGUE = {
  BAD_USAGE: usage('a command line that cannot be parsed: an unknown flag, a missing value, a missing argument'),
  INVALID_VALUE: usage('a flag or setting whose value is wrong; the message names it, echoes it and says what to pass'),
  UNSAFE_VALUE: usage(
    'a value that would change the meaning of a rendered file (a newline, a NUL, a character XML forbids)',
  ),
  BAD_RECORD: usage('the settings record of an installed service is unreadable, malformed or from a newer initsock'),
  EDITED_BY_HAND: usage('a file install-service wrote was changed since; a re-run would overwrite the change'),
  NOT_INITSOCK_UNIT: usage("a unit of the service's name exists that install-service did not write; it is left alone"),
  PORT_TAKEN: usage('the port install was asked to use is held by another program or service; nothing was changed'),
  NOT_ACTIVATED: environment(
    'no socket was passed to this process (systemd: no or a foreign LISTEN_PID; launchd: ESRCH)',
  ),
  SOCKET_NOT_FOUND: environment('sockets were passed, but none with the requested name (launchd: ENOENT)'),
  ALREADY_ACTIVATED: environment('the passed sockets were already taken by this process (launchd: EALREADY)'),
  INVALID_LISTEN_ENV: environment('LISTEN_PID, LISTEN_FDS or LISTEN_FDNAMES is present but malformed'),
  NO_SOCKETS: environment('socket activation passed LISTEN_FDS=0'),
  BAD_FD: environment('an inherited file descriptor is not a listening TCP socket'),
  WRONG_SOCKET: environment(
    "the worker listens somewhere other than its inherited socket (the runtime ignored the fd; bun's http.Server does)",
  ),
  FFI_UNAVAILABLE: environment('the launchd library or koffi could not be loaded'),
  NO_INIT_SYSTEM: environment('no usable init system for this user (no systemd user manager, no launchd GUI domain)'),
  ACTIVATION_FAILED: runtime("launchd's launch_activate_socket failed with an unexpected errno"),
  TEMPLATE_ERROR: runtime('a shipped unit or plist template is missing or does not fit its values (a broken package)'),
  COMMAND_FAILED: runtime('a command (systemctl, launchctl, ...) exited with a failure; the message quotes it'),
  WRITE_FAILED: runtime('a file could not be written or opened for writing'),
  PORT_IN_USE: runtime('the port is held by another process'),
  VERIFY_FAILED: runtime('the installed service did not answer its health check'),
  SERVICE_INSTALLED_NOT_RUNNING: runtime('a service is installed for the port, but nothing listens there'),
  UNREACHABLE: runtime('no worker could be reached or started'),
  TIMEOUT: runtime('an operation did not finish within its time limit'),
  INTERRUPTED: runtime('install-service got SIGINT or SIGTERM while changing the system; its changes were undone'),
  JOB_CANCELLED: runtime(
    'the job run a --wait caller waited for will not end normally: stopped before it started, or its runner died',
  ),
  NOT_LOOPBACK: security('a listen address outside loopback without the explicit opt-in flag'),
  UNSAFE_PATH: security(
    'a symlink, a foreign owner, a world-writable folder or a too-open mode where initsock reads or writes',
  ),
  BAD_TOKEN_FILE: security('the token file is missing, empty or not a token'),
  UNTRUSTED_LISTENER: security('the process listening on the port belongs to another user (port squatting)'),
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface InitsockErrorOptions {
  cause?: unknown;
  /** Extra machine-readable context (argv, exit code, path...). */
  details?: Record<string, unknown>;
}

/**
 * Marks initsock's errors. A process can hold two copies of this module (the bundled worker and the package's plain
 * build an --app module imports), so recognition goes by this global symbol, never by class identity.
 */
const BRAND = Symbol.for('initsock.error');

export class InitsockError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: InitsockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InitsockError';
    this.code = code;
    this.details = options.details ?? {};
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** `err instanceof InitsockError` holds for an error from either copy of this module. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** True when `err` is an InitsockError from any copy of initsock, optionally with one of `codes`. */
export function isInitsockError(err: unknown, ...codes: ErrorCode[]): err is InitsockError {
  return err instanceof InitsockError && (codes.length === 0 || codes.includes(err.code));
}

/** The kind of `err`: its code's, except that a failure whose changes were rolled back is a runtime failure. */
export function errorKind(err: InitsockError): ErrorKind {
  if (err.details.rolledBack !== undefined) return 'runtime';
  return (ERROR_CATALOGUE as Record<string, CatalogueEntry>)[err.code]?.kind ?? 'runtime';
}

/** The programs initsock ships, each with its exit code per kind (and for an error that is not initsock's). */
export const EXIT_CODES = {
  'install-service': { usage: 2, security: 2, environment: 3, runtime: 1, unexpected: 1 },
  initsock: { usage: 2, security: 7, environment: 7, runtime: 7, unexpected: 1 },
  'initsock-worker': { usage: 78, security: 78, environment: 78, runtime: 78, unexpected: 1 },
} as const satisfies Record<string, Record<ErrorKind | 'unexpected', number>>;

export type Program = keyof typeof EXIT_CODES;

/** The exit code `program` ends with for `err`. */
export function exitCodeFor(program: Program, err: unknown): number {
  const table = EXIT_CODES[program];
  return isInitsockError(err) ? table[errorKind(err)] : table.unexpected;
}
