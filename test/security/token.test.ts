// The token file on a real filesystem: path, modes under any umask, keep/replace, symlinks, owners, and a real other user.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ensureToken, readToken, tokenPath } from '../../src/security/token.js';
import { isInitsockError, type ErrorCode } from '../../src/errors.js';
import { scratchDir } from '../helpers/paths.js';

const root = scratchDir('token');
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshHome = (): string => {
  const d = join(root, `home${n++}`);
  mkdirSync(d, { mode: 0o700 });
  return d;
};
const modeOf = (p: string): number => lstatSync(p).mode & 0o7777;
const isRoot = process.getuid?.() === 0;

function throwsCode(fn: () => unknown, code: ErrorCode, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => isInitsockError(e, code) && pattern.test(e.message), pattern.source);
}

test('tokenPath follows XDG_CONFIG_HOME when absolute, else ~/.config, and refuses names that escape', () => {
  assert.equal(tokenPath('svc', { XDG_CONFIG_HOME: '/x/cfg' }, '/home/me'), '/x/cfg/initsock/svc/token');
  assert.equal(tokenPath('svc', {}, '/home/me'), '/home/me/.config/initsock/svc/token');
  assert.equal(
    tokenPath('svc', { XDG_CONFIG_HOME: 'relative' }, '/home/me'),
    '/home/me/.config/initsock/svc/token',
    'XDG: relative paths are ignored',
  );
  for (const bad of ['', '.', '..', 'a/b', '../x', 'a\nb', 'a b']) {
    throwsCode(() => tokenPath(bad, {}, '/home/me'), 'INVALID_VALUE', /cannot name a token folder/);
  }
});

test('ensureToken creates a 43-character base64url token, 0600 in 0700 folders, whatever the umask', () => {
  for (const umask of [0o000, 0o077, 0o022]) {
    const home = freshHome();
    const path = tokenPath('svc', {}, home);
    const old = process.umask(umask);
    let res;
    try {
      res = ensureToken(path);
    } finally {
      process.umask(old);
    }
    assert.equal(res.status, 'created');
    assert.match(res.token, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(res.createdDirs, [
      join(home, '.config'),
      join(home, '.config', 'initsock'),
      join(home, '.config', 'initsock', 'svc'),
    ]);
    assert.equal(modeOf(path), 0o600, `file, umask ${umask.toString(8)}`);
    for (const d of res.createdDirs) assert.equal(modeOf(d), 0o700, `${d}, umask ${umask.toString(8)}`);
    assert.equal(readFileSync(path, 'utf8'), `${res.token}\n`);
    assert.equal(readToken(path), res.token);
  }
});

test('ensureToken keeps a valid token, tightens its folder, and replaces one that is malformed or was readable by others', () => {
  const path = tokenPath('svc', {}, freshHome());
  const first = ensureToken(path);
  chmodSync(join(path, '..'), 0o755);
  const again = ensureToken(path);
  assert.deepEqual([again.status, again.token, again.createdDirs], ['kept', first.token, []]);
  assert.equal(modeOf(join(path, '..')), 0o700);
  chmodSync(path, 0o644);
  const leaked = ensureToken(path);
  assert.equal(leaked.status, 'replaced');
  assert.match(leaked.reason ?? '', /mode 644/);
  assert.notEqual(leaked.token, first.token, 'a token others could read is not kept');
  assert.equal(modeOf(path), 0o600);
  writeFileSync(path, 'short\n');
  assert.equal(ensureToken(path).status, 'replaced');
});

test('ensureToken refuses a symlinked token file and leaves its target alone', () => {
  const home = freshHome();
  const path = tokenPath('svc', {}, home);
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'precious'), 'do not touch');
  symlinkSync(join(home, 'precious'), path);
  throwsCode(() => ensureToken(path), 'UNSAFE_PATH', /symbolic link/);
  throwsCode(() => readToken(path), 'UNSAFE_PATH', /symbolic link/);
  assert.equal(readFileSync(join(home, 'precious'), 'utf8'), 'do not touch');
});

test('readToken explains how to fix a file others can read, or one another user owns', (t) => {
  const path = tokenPath('svc', {}, freshHome());
  const { token } = ensureToken(path);
  chmodSync(path, 0o640);
  throwsCode(() => readToken(path), 'UNSAFE_PATH', new RegExp(`mode 640.*chmod 600 ${path}`));
  chmodSync(path, 0o600);
  assert.equal(readToken(path), token);
  if (!isRoot) {
    t.skip('needs root to chown the file to another user');
    return;
  }
  chownSync(path, 65534, 65534);
  throwsCode(() => readToken(path), 'UNSAFE_PATH', /belongs to uid 65534/);
  throwsCode(() => ensureToken(path), 'UNSAFE_PATH', /belongs to uid 65534/);
  assert.equal(statSync(path).uid, 65534, 'not silently replaced');
});

test("readToken refuses missing, empty, oversized and malformed files, and accepts a user's own long token", () => {
  const home = freshHome();
  const path = tokenPath('svc', {}, home);
  throwsCode(() => readToken(path), 'BAD_TOKEN_FILE', /does not exist.*install-service/);
  ensureToken(path);
  for (const bad of [
    '',
    '\n',
    'two\nlines-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'x'.repeat(31),
    'has space aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  ]) {
    writeFileSync(path, bad);
    throwsCode(() => readToken(path), 'BAD_TOKEN_FILE', /does not hold a token/);
  }
  writeFileSync(path, 'x'.repeat(5000));
  throwsCode(() => readToken(path), 'BAD_TOKEN_FILE', /larger than 4096 bytes/);
  const mine = `my.own~token/${'z'.repeat(40)}==`;
  writeFileSync(path, `${mine}\r\n`);
  assert.equal(readToken(path), mine);
  chmodSync(join(path, '..'), 0o777);
  throwsCode(() => readToken(path), 'UNSAFE_PATH', /^refusing to read.*world-writable/);
});

test('another local user really cannot read the token', (t) => {
  if (!isRoot) {
    t.skip('needs root to run a process as another user');
    return;
  }
  chmodSync(root, 0o755); // mkdtemp made it 0700; open every folder above the token's own so only it keeps them out
  const home = freshHome();
  chmodSync(home, 0o755);
  const path = tokenPath('svc', {}, home);
  ensureToken(path);
  chmodSync(join(home, '.config'), 0o755);
  chmodSync(join(home, '.config', 'initsock'), 0o755);
  const readAsNobody = (p: string) =>
    spawnSync(process.execPath, ['-e', `require('fs').readFileSync(${JSON.stringify(p)})`], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
    });
  writeFileSync(join(home, '.config', 'initsock', 'public'), 'x', { mode: 0o644 });
  assert.equal(
    readAsNobody(join(home, '.config', 'initsock', 'public')).status,
    0,
    'control: the other user gets this far',
  );
  const other = readAsNobody(path);
  assert.notEqual(other.status, 0);
  assert.match(other.stderr, /EACCES/);
});
