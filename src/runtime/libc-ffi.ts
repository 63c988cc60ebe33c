// The one koffi binding of the libc calls Node lacks: prctl(PR_SET_CHILD_SUBREAPER) and waitpid (Linux), flock (both).
import { loadKoffi, type Koffi } from '../util/koffi.js';

/** prctl(2): orphaned descendants re-parent to the nearest living ancestor that set this, instead of to init. */
const PR_SET_CHILD_SUBREAPER = 36;
/** waitpid(2): return at once when the child has not exited. */
const WNOHANG = 1;

/** flock(2) operations; the same values on Linux and macOS. */
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
/** EWOULDBLOCK: 11 on Linux, 35 on macOS. */
export const EWOULDBLOCK = process.platform === 'darwin' ? 35 : 11;

type Fn = (...args: unknown[]) => number;

interface Libc {
  koffi: Koffi;
  flock: Fn;
  /** Linux only. */
  prctl?: Fn;
  waitpid: Fn;
}

let cached: Libc | undefined;

/** libc (libSystem on macOS), bound on first use only. Throws FFI_UNAVAILABLE (naming `need`) when koffi cannot load. */
function bind(need: string): Libc {
  if (cached) return cached;
  const koffi = loadKoffi(need);
  const lib = koffi.load(process.platform === 'darwin' ? '/usr/lib/libSystem.B.dylib' : 'libc.so.6');
  cached = {
    koffi,
    flock: lib.func('int flock(int fd, int op)') as Fn,
    // The kernel reads prctl's four trailing arguments as unsigned longs.
    prctl:
      process.platform === 'linux'
        ? (lib.func(
            'int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)',
          ) as Fn)
        : undefined,
    waitpid: lib.func('int waitpid(int pid, int *status, int options)') as Fn,
  };
  return cached;
}

/** The Linux binding for adopting orphans; null where it cannot load (not Linux, no koffi, musl). */
function linuxLibc(): Libc | null {
  if (process.platform !== 'linux') return null;
  try {
    return bind('initsock needs to adopt orphaned descendants');
  } catch {
    return null; // the caller reports that descendants cannot be adopted
  }
}

/** Makes this process a child subreaper; false when the call is not available or fails. */
export function setChildSubreaper(): boolean {
  const b = linuxLibc();
  return b?.prctl !== undefined && b.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) === 0;
}

/** Reaps `pid` if it has exited (never blocks, never waits for any other child); true when it was reaped. */
export function reapPid(pid: number): boolean {
  const b = linuxLibc();
  return b !== null && pid > 0 && b.waitpid(pid, null, WNOHANG) === pid;
}

/** flock(2) on `fd`; -1 with lastErrno() set on failure. Throws FFI_UNAVAILABLE when koffi cannot load. */
export function flock(fd: number, op: number): number {
  return bind('initsock jobs need for flock(2)').flock(fd, op);
}

/** The errno of the last failed libc call on this thread. */
export function lastErrno(): number {
  return bind('initsock jobs need for flock(2)').koffi.errno();
}
