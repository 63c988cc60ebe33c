// assertSafeToWrite on a real filesystem: symlinks, foreign owners, world- and group-writable folders (needs root to chown).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, lchownSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSafeDir, assertSafeToRead, assertSafeToWrite } from '../../src/security/safe-path.js';
import { atomicWrite } from '../../src/exec/atomic-write.js';
import { isInitsockError } from '../../src/errors.js';
import { scratchDir } from '../helpers/paths.js';

const NOBODY = 65534;
const root = scratchDir('safe-path');
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh private folder per case. */
function fresh(): string {
  const d = join(root, `case${n++}`);
  mkdirSync(d, { mode: 0o700 });
  return d;
}
const isRoot = process.getuid?.() === 0;

function refuses(path: string, pattern: RegExp, owner = {}): void {
  assert.throws(
    () => assertSafeToWrite(path, owner),
    (e: unknown) =>
      isInitsockError(e, 'UNSAFE_PATH') && pattern.test(e.message) && e.message.startsWith(`refusing to write ${path}`),
    path,
  );
}

test('a plain file, or one under folders that do not exist yet, is fine', () => {
  const d = fresh();
  assertSafeToWrite(join(d, 'a.service'));
  assertSafeToWrite(join(d, 'x', 'y', 'z', 'token'));
  writeFileSync(join(d, 'exists'), 'x', { mode: 0o644 });
  assertSafeToWrite(join(d, 'exists'));
});

test('a symlink at the target is refused, even a dangling one or one to our own file', () => {
  const d = fresh();
  writeFileSync(join(d, 'real'), 'keep');
  symlinkSync(join(d, 'real'), join(d, 'link'));
  symlinkSync(join(d, 'nowhere'), join(d, 'dangling'));
  refuses(join(d, 'link'), /symbolic link/);
  refuses(join(d, 'dangling'), /symbolic link/);
  mkdirSync(join(d, 'dir'));
  refuses(join(d, 'dir'), /not a regular file/);
});

test('a symlink on the way is followed when the user or root owns it, refused when another user does', (t) => {
  if (!isRoot) {
    t.skip('needs root to lchown a link to another user');
    return;
  }
  const d = fresh();
  mkdirSync(join(d, 'elsewhere'));
  symlinkSync(join(d, 'elsewhere'), join(d, 'config')); // like a dotfiles manager's ~/.config
  assertSafeToWrite(join(d, 'config', 'initsock', 'token'));
  lchownSync(join(d, 'config'), NOBODY, NOBODY);
  refuses(join(d, 'config', 'initsock', 'token'), /symbolic link owned by uid 65534/);
  symlinkSync(join(d, 'missing'), join(d, 'dangling'));
  refuses(join(d, 'dangling', 'token'), /cannot be resolved/);
});

test('a world-writable folder without the sticky bit is refused; with it, only our own subfolders pass', (t) => {
  if (!isRoot) {
    t.skip('needs root to chown a folder to another user');
    return;
  }
  const d = fresh();
  const open = join(d, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  refuses(join(open, 'file'), /world-writable \(mode 0777\) without the sticky bit.*chmod o-w/);
  chmodSync(open, 0o1777); // like /tmp
  assertSafeToWrite(join(open, 'file'));
  mkdirSync(join(open, 'planted'));
  chownSync(join(open, 'planted'), NOBODY, NOBODY);
  refuses(join(open, 'planted', 'file'), /belongs to uid 65534.*chown/);
});

test("a folder writable by another group is refused; by the user's own group it is fine", (t) => {
  if (!isRoot) {
    t.skip('needs root to chown a folder to another group');
    return;
  }
  const d = fresh();
  chmodSync(d, 0o770);
  assertSafeToWrite(join(d, 'file'), { uid: 0, gid: 0 });
  chownSync(d, 0, 4242);
  refuses(join(d, 'file'), /writable by group 4242.*chmod g-w/, { uid: 0, gid: 0 });
});

test("a target owned by another user is refused; for another uid, root's folders are trusted and other users' are not", (t) => {
  if (!isRoot) {
    t.skip('needs root to chown a file to another user');
    return;
  }
  const d = fresh();
  writeFileSync(join(d, 'theirs'), 'x');
  chownSync(join(d, 'theirs'), NOBODY, NOBODY);
  refuses(join(d, 'theirs'), /belongs to uid 65534/);
  // Checking for uid 1000: every folder here is root's, which is trusted; a folder of uid 1000 is theirs.
  assertSafeToWrite(join(d, 'new'), { uid: 1000, gid: 1000 });
  chownSync(d, 1000, 1000);
  assertSafeToWrite(join(d, 'new'), { uid: 1000, gid: 1000 });
  refuses(join(d, 'new'), /belongs to uid 1000/, { uid: 2000, gid: 2000 });
});

test('assertSafeToRead says "read", and the check complements atomicWrite (which only looks at the target)', () => {
  const d = fresh();
  chmodSync(d, 0o777);
  assert.throws(
    () => assertSafeToRead(join(d, 'token')),
    (e: unknown) => isInitsockError(e, 'UNSAFE_PATH') && /^refusing to read/.test(e.message),
  );
  chmodSync(d, 0o700);
  const target = join(d, 'unit.service');
  assertSafeToWrite(target);
  atomicWrite(target, 'ok\n', 0o644);
  assert.equal(readFileSync(target, 'utf8'), 'ok\n');
});

test('assertSafeDir checks a folder to create or fill: its links and its real path, not a target file', (t) => {
  const d = fresh();
  assertSafeDir(join(d, 'systemd', 'user'));
  assertSafeDir(d);
  chmodSync(d, 0o777);
  assert.throws(
    () => assertSafeDir(join(d, 'systemd', 'user')),
    (e: unknown) => isInitsockError(e, 'UNSAFE_PATH') && /world-writable/.test(e.message),
  );
  assert.throws(
    () => assertSafeDir(d),
    (e: unknown) => isInitsockError(e, 'UNSAFE_PATH'),
  );
  chmodSync(d, 0o700);
  if (!isRoot) {
    t.skip('needs root to lchown a link to another user');
    return;
  }
  mkdirSync(join(d, 'real'));
  symlinkSync(join(d, 'real'), join(d, 'systemd'));
  lchownSync(join(d, 'systemd'), NOBODY, NOBODY);
  assert.throws(
    () => assertSafeDir(join(d, 'systemd', 'user')),
    (e: unknown) => isInitsockError(e, 'UNSAFE_PATH') && /symbolic link owned by uid 65534/.test(e.message),
  );
});
