// The koffi binding of launchd's launch_activate_socket(3): load the library lazily, call it, copy and free the fd array.
import { InitsockError } from '../errors.js';
import { loadKoffi } from '../util/koffi.js';

/** Where macOS keeps launch_activate_socket and free. */
export const LIBSYSTEM = '/usr/lib/libSystem.B.dylib';

/** The raw outcome of one call: 0 and the fds, or the errno launchd returned (fds then empty). */
export interface RawActivation {
  code: number;
  fds: number[];
}

/** The two C functions we need, bound to one library handle so free() matches the allocator. */
interface Binding {
  activate: (name: string, fdsOut: [unknown], cntOut: [unknown]) => number;
  free: (ptr: unknown) => void;
  fcntl: (fd: number, cmd: number, ...rest: unknown[]) => number;
  decodeInts: (ptr: unknown, count: number) => number[];
}

const bindings = new Map<string, Binding>();

/**
 * Binds the functions in `library`, loading koffi and the library on first use only, so processes that never ask
 * launchd (all of Linux) never pay for it. On macOS 11+ libSystem lives in the dyld shared cache, not on disk;
 * dlopen() of its path still works. Throws FFI_UNAVAILABLE when the library or a symbol is missing.
 */
function bind(library: string): Binding {
  const cached = bindings.get(library);
  if (cached) return cached;
  const koffi = loadKoffi('initsock needs to call launch_activate_socket on macOS');
  try {
    const lib = koffi.load(library);
    // launch.h: int launch_activate_socket(const char *name, int * _Nonnull *fds, size_t *cnt);
    const binding: Binding = {
      activate: lib.func('int launch_activate_socket(const char *name, _Out_ void **fds, _Out_ size_t *cnt)'),
      // dlsym through this handle finds the free() that matches the library's malloc (libSystem on macOS, libc elsewhere).
      free: lib.func('void free(void *ptr)'),
      fcntl: lib.func('int fcntl(int fd, int cmd, ...)'),
      decodeInts: (ptr, count) => Array.from(koffi.decode(ptr, 'int', count) as Int32Array),
    };
    bindings.set(library, binding);
    return binding;
  } catch (err) {
    throw new InitsockError(
      'FFI_UNAVAILABLE',
      `cannot load launch_activate_socket from ${library}: ${(err as Error).message}. On macOS this library is part of the OS; elsewhere launchd activation is not available, so start the worker with --listen or under systemd.`,
      { cause: err, details: { library } },
    );
  }
}

/** Calls launch_activate_socket(name) and returns its errno and a copy of the fds; the C array is freed here, once. */
export function callActivateSocket(library: string, name: string): RawActivation {
  const b = bind(library);
  const fdsOut: [unknown] = [null];
  const cntOut: [unknown] = [0];
  const code = b.activate(name, fdsOut, cntOut);
  if (code !== 0) return { code, fds: [] };
  const count = Number(cntOut[0]);
  const ptr = fdsOut[0];
  if (!ptr) return { code: 0, fds: [] };
  let fds: number[];
  try {
    fds = count > 0 ? b.decodeInts(ptr, count) : [];
  } finally {
    b.free(ptr);
  }
  for (const fd of fds) setCloseOnExec(b, fd);
  return { code: 0, fds };
}

// F_SETFD and FD_CLOEXEC have the same values on macOS and Linux.
const F_SETFD = 2;
const FD_CLOEXEC = 1;

/**
 * launchd hands the fds over without FD_CLOEXEC, and libuv does not add it when it adopts an fd, so every
 * child the worker spawned would inherit the listening socket and keep the port busy after the worker exits.
 */
function setCloseOnExec(b: Binding, fd: number): void {
  b.fcntl(fd, F_SETFD, 'int', FD_CLOEXEC);
}
