// Checks before writing: no one but the user (or root) controls the target's folders or the links on the way to it.
import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InitsockError } from '../errors.js';

/** Whose files count as ours. Defaults: this process's uid and gid. Root (uid 0) is always trusted. */
export interface Owner {
  uid?: number;
  gid?: number;
}

const STICKY = 0o1000;

/** What we are checking for: the file, whether we write it or read (trust) it, and who "we" are. */
interface Check {
  target: string;
  verb: 'write' | 'read';
  uid: number;
  gid: number | undefined;
}

function unsafe(c: Check, why: string, next: string): InitsockError {
  return new InitsockError('UNSAFE_PATH', `refusing to ${c.verb} ${c.target}: ${why}. ${next}`, {
    details: { path: c.target },
  });
}

/** The path and each of its ancestors, outermost first: /, /home, /home/me, ... */
function prefixes(path: string): string[] {
  const out: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    out.unshift(p);
    if (dirname(p) === p) return out;
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** The nearest folder of `dir` that exists (the ones below it will be created by us, with our modes). */
function nearestExisting(dir: string): string {
  let d = dir;
  while (lstatOrNull(d) === null && dirname(d) !== d) d = dirname(d);
  return d;
}

/** Throws when a folder on the real path can be changed by someone other than the user or root. */
function checkDir(c: Check, dir: string, st: Stats): void {
  const { uid, gid } = c;
  const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
  if (!st.isDirectory()) throw unsafe(c, `${dir} is not a folder`, `Move it away, then run again.`);
  if (st.uid !== uid && st.uid !== 0) {
    throw unsafe(
      c,
      `the folder ${dir} belongs to uid ${st.uid}, not to you (uid ${uid}) or root, so that user could swap the file`,
      `If it should be yours, run: chown ${uid} ${dir}`,
    );
  }
  if (st.mode & 0o002 && !(st.mode & STICKY)) {
    throw unsafe(
      c,
      `the folder ${dir} is world-writable (mode ${mode}) without the sticky bit, so any user could replace what we write`,
      `Run: chmod o-w ${dir}`,
    );
  }
  if (st.mode & 0o020 && !(st.mode & STICKY) && gid !== undefined && st.gid !== gid) {
    throw unsafe(
      c,
      `the folder ${dir} is writable by group ${st.gid} (mode ${mode}), so other users in it could replace what we write`,
      `Run: chmod g-w ${dir}`,
    );
  }
}

/** Throws when a symbolic link on the way belongs to someone other than the user or root: they decide where we write. */
function checkLink(c: Check, link: string, st: Stats): void {
  const { uid } = c;
  if (st.isSymbolicLink() && st.uid !== uid && st.uid !== 0) {
    throw unsafe(
      c,
      `${link} is a symbolic link owned by uid ${st.uid}, not by you (uid ${uid}) or root, so that user decides where we write`,
      `If you did not create it, remove it (rm ${link}) and run again.`,
    );
  }
}

/** Throws when the target itself is a symbolic link, not a regular file, or someone else's file. */
function checkTarget(c: Check): void {
  const { target, uid } = c;
  const st = lstatOrNull(target);
  if (st === null) return;
  if (st.isSymbolicLink()) {
    throw unsafe(
      c,
      'it is a symbolic link, and writing would change the file it points to',
      `Remove the link (rm ${target}) and run again.`,
    );
  }
  if (!st.isFile()) throw unsafe(c, 'it exists and is not a regular file', 'Move it away and run again.');
  if (st.uid !== uid && st.uid !== 0) {
    throw unsafe(
      c,
      `it belongs to uid ${st.uid}, not to you (uid ${uid})`,
      `Check who created it; remove it if it is not yours.`,
    );
  }
}

/**
 * Checks that writing `path` cannot be redirected or tampered with by another local user. It refuses:
 * - a target that is a symlink, not a regular file, or owned by another user;
 * - a symlink anywhere on the way (e.g. ~/.config -> elsewhere) owned by anyone but the user or root; a link the
 *   user made (a dotfiles manager) is theirs, and root's links (/var -> /private/var on macOS) are the system's;
 * - on the real path (links resolved), a folder owned by another user, a world-writable folder without the
 *   sticky bit, or one writable by a group other than the user's own.
 * Folders that do not exist yet are skipped: we create them with our own modes. Throws UNSAFE_PATH.
 * Complements src/exec/atomic-write.ts, which only looks at the target: call this first, then atomicWrite.
 * On a system without POSIX owners (Windows), it checks nothing.
 */
export function assertSafeToWrite(path: string, owner: Owner = {}): void {
  checkPath(path, owner, 'write');
}

/** The same rules for a file whose content we trust (the token): whoever can swap it chooses what we read. */
export function assertSafeToRead(path: string, owner: Owner = {}): void {
  checkPath(path, owner, 'read');
}

/** The folder rules alone, for a folder we are about to create or write into (the installer's mkdir steps). */
export function assertSafeDir(dir: string, owner: Owner = {}): void {
  const c = context(dir, owner, 'write');
  if (c) checkChain(c, c.target);
}

function context(path: string, owner: Owner, verb: Check['verb']): Check | null {
  const uid = owner.uid ?? process.getuid?.();
  return uid === undefined ? null : { target: resolve(path), verb, uid, gid: owner.gid ?? process.getgid?.() };
}

function checkPath(path: string, owner: Owner, verb: Check['verb']): void {
  const c = context(path, owner, verb);
  if (!c) return;
  checkTarget(c);
  checkChain(c, dirname(c.target));
}

/** Checks the links on the way to `dir` and every folder of its real path, from its nearest existing folder up. */
function checkChain(c: Check, dir: string): void {
  const existing = nearestExisting(dir);
  for (const p of prefixes(existing)) {
    const st = lstatOrNull(p);
    if (st) checkLink(c, p, st);
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch (err) {
    throw unsafe(
      c,
      `${existing} cannot be resolved (${(err as NodeJS.ErrnoException).code ?? 'error'}); it may be a dangling link`,
      `Check it with: ls -l ${existing}`,
    );
  }
  for (const p of prefixes(real)) checkDir(c, p, lstatSync(p));
}
