// One error class with stable codes: every message says what failed, why, and what to do next.

/** Stable error codes. Activation codes are shared by every activation source (systemd, launchd, handoff). */
export type ErrorCode =
  // activation
  | 'NOT_ACTIVATED' // no socket was passed to this process (systemd: no/foreign LISTEN_PID; launchd: ESRCH)
  | 'SOCKET_NOT_FOUND' // sockets were passed, but none with the requested name (launchd: ENOENT)
  | 'ALREADY_ACTIVATED' // the sockets were already taken by this process (launchd: EALREADY)
  | 'INVALID_LISTEN_ENV' // LISTEN_PID / LISTEN_FDS / LISTEN_FDNAMES present but malformed
  | 'NO_SOCKETS' // LISTEN_FDS=0
  | 'BAD_FD' // an inherited fd could not be listened on
  | 'FFI_UNAVAILABLE' // the launchd library or koffi could not be loaded
  | 'ACTIVATION_FAILED' // launchd returned an errno other than ESRCH / ENOENT / EALREADY
  // usage and input
  | 'BAD_USAGE'
  | 'INVALID_VALUE'
  | 'UNSAFE_VALUE' // a value that would change the meaning of a rendered file (newline, NUL, XML-forbidden char)
  | 'TEMPLATE_ERROR'
  // system
  | 'NO_INIT_SYSTEM'
  | 'COMMAND_FAILED'
  | 'WRITE_FAILED'
  | 'PORT_IN_USE'
  | 'VERIFY_FAILED'
  | 'SERVICE_INSTALLED_NOT_RUNNING'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'UNAUTHORIZED'
  // security
  | 'NOT_LOOPBACK' // a listen host outside 127.0.0.0/8, ::1 and localhost without the explicit opt-in flag
  | 'UNSAFE_PATH' // a symlink, a foreign owner, a world-writable directory or a too-open mode where we read or write
  | 'BAD_TOKEN_FILE' // the token file is missing, empty or not a token
  | 'UNTRUSTED_LISTENER' // the process listening on the port belongs to another user (port squatting)
  // installer
  | 'INTERRUPTED' // install-service got SIGINT/SIGTERM while changing the system; what it had done was rolled back
  | 'BAD_RECORD' // the settings record of an installed service is unreadable, malformed or from a newer initsock
  | 'EDITED_BY_HAND' // a file install-service wrote was changed since; a re-run would overwrite the change
  | 'NOT_INITSOCK_UNIT'; // a unit of the service's name exists that install-service did not write; it is left alone

export interface InitsockErrorOptions {
  cause?: unknown;
  /** Extra machine-readable context (argv, exit code, path...). */
  details?: Record<string, unknown>;
}

export class InitsockError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: InitsockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InitsockError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `err` is an InitsockError, optionally with one of `codes`. */
export function isInitsockError(err: unknown, ...codes: ErrorCode[]): err is InitsockError {
  return err instanceof InitsockError && (codes.length === 0 || codes.includes(err.code));
}
