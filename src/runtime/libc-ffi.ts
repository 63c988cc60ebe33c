// The koffi binding of the two Linux calls Node lacks for orphaned descendants: prctl(PR_SET_CHILD_SUBREAPER), waitpid.
import { nodeModule } from '../util/builtin.js';

/** prctl(2): orphaned descendants re-parent to the nearest living ancestor that set this, instead of to init. */
const PR_SET_CHILD_SUBREAPER = 36;
/** waitpid(2): return at once when the child has not exited. */
const WNOHANG = 1;

interface Libc {
  prctl: (option: number, a2: number, a3: number, a4: number, a5: number) => number;
  waitpid: (pid: number, status: null, options: number) => number;
}

let libc: Libc | null | undefined;

/** glibc, bound on first use only (loading koffi costs ~10 ms); null where it cannot load (not Linux, no koffi). */
function bind(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (process.platform !== 'linux') return libc;
  try {
    const koffi = nodeModule().createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const lib = koffi.load('libc.so.6');
    libc = {
      // The kernel reads prctl's four trailing arguments as unsigned longs.
      prctl: lib.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)'),
      waitpid: lib.func('int waitpid(int pid, int *status, int options)'),
    };
  } catch {
    libc = null; // musl, or koffi missing: the caller reports that descendants cannot be adopted
  }
  return libc;
}

/** Makes this process a child subreaper; false when the call is not available or fails. */
export function setChildSubreaper(): boolean {
  const b = bind();
  return b !== null && b.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) === 0;
}

/** Reaps `pid` if it has exited (never blocks, never waits for any other child); true when it was reaped. */
export function reapPid(pid: number): boolean {
  const b = bind();
  return b !== null && pid > 0 && b.waitpid(pid, null, WNOHANG) === pid;
}
