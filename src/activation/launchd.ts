// launchd activation: the worker asks launchd for its Sockets entry through launch_activate_socket(3).
import { constants } from 'node:os';
import { InitsockError, type ErrorCode } from '../errors.js';
import type { Activation, ActivationSource } from './types.js';
import { LIBSYSTEM, callActivateSocket } from './launchd-ffi.js';

export interface LaunchdSourceOptions {
  /** The key under Sockets in the job's plist (initsock's plists use "Listeners"). */
  socketName: string;
  /** The library exporting launch_activate_socket and free (default /usr/lib/libSystem.B.dylib; tests load a stub). */
  library?: string;
}

const { ENOENT, ESRCH, EALREADY } = constants.errno;

/**
 * A source that asks launchd for the sockets named `socketName`. koffi and the library are loaded on the
 * first activate() call, never at import. activate() returns every fd under that name (launchd gives one
 * per address family: 127.0.0.1 gives one, "localhost" gives an IPv4 and an IPv6 fd) and throws:
 * - NOT_ACTIVATED on ESRCH (not started by launchd; detect takes this as "not a launchd activation");
 * - SOCKET_NOT_FOUND on ENOENT; ALREADY_ACTIVATED on EALREADY;
 * - FFI_UNAVAILABLE when koffi or the library cannot be loaded; ACTIVATION_FAILED for any other errno; BAD_FD when no fds came back.
 *
 * Where macOS differs from its documentation (launch_activate_socket(3), developer.apple.com/documentation/xpc):
 * - the man page says a name missing from the plist gives ENOENT, but macOS returns ESRCH for it too (as
 *   go-launchd records), so NOT_ACTIVATED may also mean "wrong --socket-name": its message says both;
 * - the fds come without FD_CLOEXEC, so the binding sets it (children must not inherit the listener);
 * - errno values are the platform's own (EALREADY is 37 on macOS, 114 on Linux), hence os.constants.errno.
 */
export function launchdSource(opts: LaunchdSourceOptions): ActivationSource {
  const library = opts.library ?? LIBSYSTEM;
  return {
    kind: 'launchd',
    activate(): Activation | null {
      const { code, fds } = callActivateSocket(library, opts.socketName);
      if (code !== 0) throw activationError(code, opts.socketName, library);
      if (fds.length === 0) {
        throw new InitsockError(
          'BAD_FD',
          `launchd returned no file descriptors for socket "${opts.socketName}". Check the Sockets entry in the job's plist (install-service print shows it) and reinstall.`,
          { details: { socketName: opts.socketName, library } },
        );
      }
      return { kind: 'launchd', sockets: fds.map((fd) => ({ fd, name: opts.socketName })) };
    },
  };
}

/** What each documented errno means, as [error code, what happened and what to do] for a quoted socket name. */
const KNOWN: Record<number, [ErrorCode, (q: string) => string]> = {
  [ESRCH]: [
    'NOT_ACTIVATED',
    (q) =>
      `returned ESRCH: this process was not started by launchd, or (macOS also says ESRCH for this) its plist has no Sockets entry ${q}. Start it through launchd (install-service), check --socket-name, or use --listen HOST:PORT for development.`,
  ],
  [ENOENT]: [
    'SOCKET_NOT_FOUND',
    (q) =>
      `returned ENOENT: the launchd job has no socket named ${q}. Make --socket-name (INITSOCK_SOCKET_NAME) match the key under Sockets in the plist (initsock uses "Listeners").`,
  ],
  [EALREADY]: [
    'ALREADY_ACTIVATED',
    (q) =>
      `returned EALREADY: this process already took the launchd sockets ${q}. Activate once per process and reuse the fds it returned.`,
  ],
};

/** Maps a launch_activate_socket errno to an InitsockError that names the socket and says what to do. */
export function activationError(code: number, socketName: string, library = LIBSYSTEM): InitsockError {
  const quoted = JSON.stringify(socketName);
  const [errorCode, explain] = KNOWN[code] ?? [
    'ACTIVATION_FAILED',
    () =>
      `failed with errno ${code} (${errnoName(code)}). Check the job with \`launchctl print gui/$(id -u)/<label>\` and its log in ~/Library/Logs/<name>/.`,
  ];
  return new InitsockError(errorCode, `launch_activate_socket(${quoted}) ${explain(quoted)}`, {
    details: { errno: code, socketName, library },
  });
}

/** The symbolic name of an errno value on this platform, or "unknown". */
function errnoName(code: number): string {
  const entry = Object.entries(constants.errno).find(([, v]) => v === code);
  return entry ? entry[0] : 'unknown';
}
