// Serializes install-service runs that change one service: an O_EXCL lock file holding the owner's pid, in a private folder.
import { closeSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InitsockError } from '../src/errors.js';
import { ensureDir } from '../src/exec/atomic-write.js';
import type { CliDeps } from './deps.js';

const POLL_MS = 100;
/** Long enough for another run's whole install (commands plus the health check), short enough to not hang forever. */
const MAX_WAIT_MS = 90_000;

/** $XDG_RUNTIME_DIR/initsock (Linux), else a per-user folder in $TMPDIR (per-user on macOS already). */
function lockDir(deps: CliDeps): string {
  const base = deps.env.XDG_RUNTIME_DIR || deps.env.TMPDIR || tmpdir();
  const uid = process.getuid?.() ?? deps.uid; // who creates the files, whatever identity the tests inject
  const dir = join(base, deps.env.XDG_RUNTIME_DIR ? 'initsock' : `initsock-${uid}`);
  ensureDir(dir, 0o700);
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new InitsockError(
      'UNSAFE_PATH',
      `refusing to use the lock folder ${dir}: it is not a private folder of yours. Remove it (rm -r ${dir}) and run again.`,
    );
  }
  return dir;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readPid = (path: string): number => {
  try {
    return Number(readFileSync(path, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
};

/** One attempt: true when we now hold the lock. A lock left by a dead process is moved aside and removed. */
function tryLock(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const owner = readPid(path);
  if (owner !== 0 && alive(owner)) return false;
  // Rename first, so of two runs reclaiming the same stale lock only one removes it.
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
    unlinkSync(aside);
  } catch {
    /* another run reclaimed it first */
  }
  return false;
}

/** Runs `fn` while holding the lock for `name`; waits (bounded) for another run that holds it. */
export async function withLock<T>(name: string, deps: CliDeps, fn: () => Promise<T>): Promise<T> {
  const path = join(lockDir(deps), `${name}.lock`);
  let told = false;
  for (let waited = 0; !tryLock(path); waited += POLL_MS) {
    if (waited >= MAX_WAIT_MS) {
      throw new InitsockError(
        'TIMEOUT',
        `another install-service run (pid ${readPid(path)}) has held the lock for ${name} for ${MAX_WAIT_MS / 1000}s. ` +
          `Wait for it to finish, or if it is gone, remove ${path} and run again.`,
      );
    }
    if (deps.signal?.aborted) {
      throw new InitsockError(
        'INTERRUPTED',
        `interrupted (${String(deps.signal.reason ?? 'signal')}) while waiting for another ` +
          `install-service run on ${name}; nothing was changed.`,
        { details: { rolledBack: [] } },
      );
    }
    if (!told) deps.err(`waiting for another install-service run (pid ${readPid(path)}) on ${name} to finish...\n`);
    told = true;
    await deps.sleep(POLL_MS);
  }
  try {
    return await fn();
  } finally {
    if (readPid(path) === process.pid) unlinkSync(path);
  }
}
