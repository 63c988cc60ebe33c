// Atomic, symlink-safe file writes: temp file in the same directory, fsync, rename; never world-writable.
import { closeSync, constants, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync,
  unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InitsockError } from '../errors.js';
import { crypto } from '../util/builtin.js';

/** What is on disk at a path: its content and permission bits, or null when nothing is there. */
export interface FileSnapshot {
  content: string;
  mode: number;
}

/** Drops the world-writable bit: nothing we create may be changed by other users. */
const safeMode = (mode: number): number => mode & 0o7775 & ~0o002;

function writeFailed(path: string, why: string, next: string, cause?: unknown): InitsockError {
  return new InitsockError('WRITE_FAILED', `cannot write ${path}: ${why}. ${next}`, { cause, details: { path } });
}

/** Throws WRITE_FAILED when `path` is a symlink: we only replace regular files we can see. */
function refuseSymlink(path: string): void {
  let st;
  try { st = lstatSync(path); } catch { return; }
  if (st.isSymbolicLink()) {
    throw new InitsockError('UNSAFE_PATH', `refusing to write ${path}: it is a symbolic link we did not create, and writing ` +
      `would change the file it points to. Remove the link (rm ${path}) or pass a different --name, then run again.`, { details: { path } });
  }
  if (!st.isFile()) throw writeFailed(path, 'it exists and is not a regular file', `Move it away, then run again.`);
}

/** Reads a regular file's content and mode; null when absent. Throws WRITE_FAILED on a symlink. */
export function readSnapshot(path: string): FileSnapshot | null {
  refuseSymlink(path);
  try {
    return { content: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o7777 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw writeFailed(path, `reading it failed (${(err as Error).message})`, 'Check its permissions.', err);
  }
}

/** fsyncs a directory so a rename in it survives a crash; some filesystems refuse, which is harmless. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* best effort */ }
}

/** Writes `content` to `path` atomically with `mode` (minus the world-writable bit). */
export function atomicWrite(path: string, content: string, mode: number): void {
  refuseSymlink(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // O_EXCL|O_NOFOLLOW: the temp name is ours alone, never a link planted by someone else.
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    writeSync(fd, content);
    fchmodSync(fd, safeMode(mode)); // explicit, so the umask cannot widen or narrow it
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    syncDir(dirname(path));
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already renamed or never created */ }
    if (err instanceof InitsockError) throw err;
    throw writeFailed(path, (err as Error).message, `Check that ${dirname(path)} exists and is writable by you.`, err);
  }
}

/** Removes a file; a missing file is fine. Returns whether something was removed. */
export function removeFile(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw writeFailed(path, `removing it failed (${(err as Error).message})`, 'Check the permissions of its folder.', err);
  }
}

/** Creates `dir` and any missing parents with `mode` (never world-writable); returns the folders it created, outermost first. */
export function ensureDir(dir: string, mode: number): string[] {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try { lstatSync(d); break; } catch { missing.unshift(d); }
    if (dirname(d) === d) break;
  }
  try {
    for (const d of missing) {
      mkdirSync(d, { mode: safeMode(mode) });
    }
  } catch (err) {
    throw writeFailed(dir, `creating the folder failed (${(err as Error).message})`, 'Create it yourself or fix the permissions of its parent.', err);
  }
  return missing;
}
