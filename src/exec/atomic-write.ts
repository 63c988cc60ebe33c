// Whole-or-nothing, symlink-safe file writes: temp file in the same directory, every byte written, fsync, read back, rename.
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
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
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) {
    throw new InitsockError(
      'UNSAFE_PATH',
      `refusing to write ${path}: it is a symbolic link we did not create, and writing ` +
        `would change the file it points to. Remove the link (rm ${path}) or pass a different --name, then run again.`,
      { details: { path } },
    );
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
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

/**
 * Writes all of `data` at the start of `fd`. writeSync may write fewer bytes than asked (a full filesystem writes what
 * fits and reports the count); the rest is retried, so a second short write surfaces the real error (ENOSPC).
 */
function writeAll(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length; ) {
    const n = writeSync(fd, data, done, data.length - done, done);
    if (n <= 0) throw new Error(`only ${done} of ${data.length} bytes could be written`);
    done += n;
  }
}

/** Reads the file behind `fd` back and checks it holds exactly `data`, so what is renamed into place is what we meant. */
function assertReadsBack(fd: number, data: Buffer): void {
  const back = Buffer.alloc(data.length + 1); // one byte more: a longer file is as wrong as a shorter one
  let got = 0;
  for (let n; got < back.length && (n = readSync(fd, back, got, back.length - got, got)) > 0; ) got += n;
  if (got !== data.length || !back.subarray(0, got).equals(data)) {
    throw new Error(`reading it back gave ${got} bytes that differ from the ${data.length} written`);
  }
}

/** Fills the temp file at `tmp` (created exclusively, never through a link): all bytes, the mode, fsync, read back. */
function fillTemp(tmp: string, data: Buffer, mode: number): void {
  // O_EXCL|O_NOFOLLOW: the temp name is ours alone, never a link planted by someone else.
  const fd = openSync(tmp, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeAll(fd, data);
    fchmodSync(fd, safeMode(mode)); // explicit, so the umask cannot widen or narrow it
    fsyncSync(fd); // a delayed allocation failure (quota, full disk) shows up here, before the rename
    assertReadsBack(fd, data);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `content` to `path` whole or not at all, with `mode` (minus the world-writable bit): the previous file is only
 * replaced (rename) once every byte is on disk and reads back equal. Throws WRITE_FAILED and leaves it intact otherwise.
 */
export function atomicWrite(path: string, content: string, mode: number): void {
  refuseSymlink(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`);
  try {
    fillTemp(tmp, Buffer.from(content, 'utf8'), mode);
    renameSync(tmp, path);
    syncDir(dirname(path));
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already renamed or never created */
    }
    if (err instanceof InitsockError) throw err;
    const full = (err as NodeJS.ErrnoException).code === 'ENOSPC' || (err as NodeJS.ErrnoException).code === 'EDQUOT';
    throw writeFailed(
      path,
      `${(err as Error).message}; ${existsNote(path)}`,
      full
        ? `Free some space on the filesystem of ${dirname(path)}, then run again.`
        : `Check that ${dirname(path)} exists and is writable by you.`,
      err,
    );
  }
}

/** What the failed write left at `path`: the previous file untouched, or nothing. */
function existsNote(path: string): string {
  try {
    lstatSync(path);
    return 'the previous file is unchanged';
  } catch {
    return 'nothing was written';
  }
}

/** Removes a file; a missing file is fine. Returns whether something was removed. */
export function removeFile(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw writeFailed(
      path,
      `removing it failed (${(err as Error).message})`,
      'Check the permissions of its folder.',
      err,
    );
  }
}

/** Creates `dir` and any missing parents with `mode` (never world-writable); returns the folders it created, outermost first. */
export function ensureDir(dir: string, mode: number): string[] {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      lstatSync(d);
      break;
    } catch {
      missing.unshift(d);
    }
    if (dirname(d) === d) break;
  }
  try {
    for (const d of missing) {
      mkdirSync(d, { mode: safeMode(mode) });
    }
  } catch (err) {
    throw writeFailed(
      dir,
      `creating the folder failed (${(err as Error).message})`,
      'Create it yourself or fix the permissions of its parent.',
      err,
    );
  }
  return missing;
}
