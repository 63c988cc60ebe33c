// The few libc calls Node lacks that jobs need: flock(2), prctl(PR_SET_CHILD_SUBREAPER) and a non-blocking waitpid(2).
import { InitsockError } from '../errors.js';
import { nodeModule } from '../util/builtin.js';

type Koffi = typeof import('koffi');
type Fn = (...args: unknown[]) => number;

export interface Libc {
  flock(fd: number, op: number): number;
  /** The errno of the last failed call on this thread. */
  errno(): number;
  /** prctl(2); absent on macOS. */
  prctl?: Fn;
  waitpid: Fn;
}

/** flock(2) operations; the same values on Linux and macOS. */
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
/** EWOULDBLOCK: 11 on Linux, 35 on macOS. */
export const EWOULDBLOCK = process.platform === 'darwin' ? 35 : 11;
const PR_SET_CHILD_SUBREAPER = 36;
const WNOHANG = 1;

let cached: Libc | undefined;

function loadKoffi(): Koffi {
  try {
    return nodeModule().createRequire(import.meta.url)('koffi') as Koffi;
  } catch (err) {
    throw new InitsockError('FFI_UNAVAILABLE', 'cannot load koffi, which initsock jobs need for flock(2). ' +
      'Reinstall initsock (npm ci) so its prebuilt koffi binary is present.', { cause: err });
  }
}

/** Binds libc on first use (about 7 ms), so commands that take no lock never load koffi. */
export function libc(): Libc {
  if (cached) return cached;
  const koffi = loadKoffi();
  const lib = koffi.load(process.platform === 'darwin' ? '/usr/lib/libSystem.B.dylib' : 'libc.so.6');
  const flock = lib.func('int flock(int fd, int op)') as Fn;
  cached = {
    flock: (fd, op) => flock(fd, op),
    errno: () => koffi.errno(),
    prctl: process.platform === 'linux' ? lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)') as Fn : undefined,
    waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)') as Fn,
  };
  return cached;
}

/** Makes this process the reaper of its orphaned descendants (Linux), so a job's setsid grandchild stays findable. */
export function becomeSubreaper(): boolean {
  const { prctl } = libc();
  return prctl !== undefined && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) === 0;
}

/** Reaps one exited process that is our child but not libuv's (an adopted orphan); never blocks. */
export function reapZombie(pid: number): void {
  libc().waitpid(pid, [0], WNOHANG);
}
