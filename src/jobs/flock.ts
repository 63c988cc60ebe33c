// Advisory file locks (flock(2)) that the kernel releases when their holder dies: no stale PID files, no check-then-create race.
import { closeSync, openSync } from 'node:fs';
import { InitsockError } from '../errors.js';
import { EWOULDBLOCK, LOCK_EX, LOCK_NB, LOCK_UN, flock, lastErrno } from '../runtime/libc-ffi.js';

/** A held lock; release() is idempotent. The fd is close-on-exec (libuv opens so), so a job never inherits it. */
export interface HeldLock {
  release(): void;
}

function open(path: string): number {
  try {
    return openSync(path, 'a', 0o600);
  } catch (err) {
    throw new InitsockError(
      'WRITE_FAILED',
      `cannot open the lock file ${path}: ${(err as Error).message}. ` +
        'Check that its folder exists and belongs to you.',
      { cause: err, details: { path } },
    );
  }
}

function held(fd: number): HeldLock {
  let open = true;
  return {
    release: () => {
      if (!open) return;
      open = false;
      flock(fd, LOCK_UN);
      closeSync(fd);
    },
  };
}

/** Takes the lock at `path` without waiting; null when another open file holds it. */
export function tryLock(path: string): HeldLock | null {
  const fd = open(path);
  if (flock(fd, LOCK_EX | LOCK_NB) === 0) return held(fd);
  const errno = lastErrno();
  closeSync(fd);
  if (errno === EWOULDBLOCK) return null;
  throw new InitsockError(
    'WRITE_FAILED',
    `flock(${path}) failed with errno ${errno}. Check the folder is on a local filesystem.`,
    { details: { path, errno } },
  );
}

/**
 * Takes the lock at `path`, retrying every few ms until it is free or `timeoutMs` passes (TIMEOUT). Polling, not a
 * blocking flock(2): a blocked FFI call would stall the event loop and ignore the caller's deadline.
 */
export async function lock(path: string, timeoutMs: number): Promise<HeldLock> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 1; ; wait = Math.min(wait * 2, 16)) {
    const l = tryLock(path);
    if (l) return l;
    if (Date.now() >= deadline) {
      throw new InitsockError(
        'TIMEOUT',
        `the lock ${path} stayed taken for ${timeoutMs} ms. Another initsock job command is stuck ` +
          'holding it (see `initsock job list`); try again, or pass a longer --timeout.',
        { details: { path } },
      );
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** True when some process holds the lock at `path` (takes and drops it when free). */
export function isLocked(path: string): boolean {
  const l = tryLock(path);
  l?.release();
  return l === null;
}
