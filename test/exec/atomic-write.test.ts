// Atomic writes: content and mode exact, never world-writable, no temp file left, symlinks refused, folders created private.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { isInitsockError } from '../../src/errors.js';
import { atomicWrite, ensureDir, readSnapshot, removeFile } from '../../src/exec/atomic-write.js';
import { scratchDir } from '../helpers/paths.js';

function dir(t: { after: (fn: () => void) => void }): string {
  const d = scratchDir('atomic');
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('writes the content with the exact mode, replaces an existing file, and leaves no temp file', (t) => {
  const d = dir(t);
  const p = join(d, 'unit.socket');
  const old = process.umask(0o077); // the mode must not depend on the umask
  try {
    atomicWrite(p, 'one\n', 0o644);
  } finally {
    process.umask(old);
  }
  assert.equal(readFileSync(p, 'utf8'), 'one\n');
  assert.equal(statSync(p).mode & 0o777, 0o644);
  atomicWrite(p, 'two\n', 0o600);
  assert.deepEqual(readSnapshot(p), { content: 'two\n', mode: 0o600 });
  assert.deepEqual(readdirSync(d), ['unit.socket']);
});

test('never creates a world-writable file or folder', (t) => {
  const d = dir(t);
  atomicWrite(join(d, 'f'), 'x', 0o666);
  assert.equal(statSync(join(d, 'f')).mode & 0o002, 0);
  ensureDir(join(d, 'a', 'b'), 0o777);
  assert.equal(statSync(join(d, 'a')).mode & 0o002, 0);
  assert.equal(statSync(join(d, 'a', 'b')).mode & 0o002, 0);
});

test('refuses to write through a symlink, and leaves its target alone', (t) => {
  const d = dir(t);
  writeFileSync(join(d, 'target'), 'precious');
  symlinkSync(join(d, 'target'), join(d, 'link'));
  assert.throws(
    () => atomicWrite(join(d, 'link'), 'evil', 0o644),
    (err) => isInitsockError(err, 'UNSAFE_PATH') && /symbolic link we did not create/.test(err.message),
  );
  assert.throws(
    () => readSnapshot(join(d, 'link')),
    (err) => isInitsockError(err, 'UNSAFE_PATH'),
  );
  assert.equal(readFileSync(join(d, 'target'), 'utf8'), 'precious');
  assert.ok(lstatSync(join(d, 'link')).isSymbolicLink());
});

test('a missing folder is WRITE_FAILED with the path, and nothing is left behind', (t) => {
  const d = dir(t);
  assert.throws(
    () => atomicWrite(join(d, 'no', 'f'), 'x', 0o644),
    (err) => isInitsockError(err, 'WRITE_FAILED') && err.message.includes(join(d, 'no', 'f')),
  );
  assert.deepEqual(readdirSync(d), []);
});

test('readSnapshot is null for a missing file; removeFile is idempotent', (t) => {
  const d = dir(t);
  assert.equal(readSnapshot(join(d, 'nope')), null);
  writeFileSync(join(d, 'f'), 'x');
  assert.equal(removeFile(join(d, 'f')), true);
  assert.equal(removeFile(join(d, 'f')), false);
  assert.equal(existsSync(join(d, 'f')), false);
});

test('ensureDir returns only the folders it created, outermost first', (t) => {
  const d = dir(t);
  mkdirSync(join(d, 'have'));
  assert.deepEqual(ensureDir(join(d, 'have', 'x', 'y'), 0o700), [join(d, 'have', 'x'), join(d, 'have', 'x', 'y')]);
  assert.deepEqual(ensureDir(join(d, 'have', 'x', 'y'), 0o700), []);
  assert.equal(statSync(join(d, 'have', 'x', 'y')).mode & 0o777, 0o700);
});
