// The systemd preflight against an injected environment and a fake filesystem root: each unusable setup is exit 3 with its own advice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isInitsockError } from '../../../src/errors.js';
import { systemdPreflight } from '../../../src/service/systemd/preflight.js';
import type { SystemContext } from '../../../src/service/types.js';
import { scratchDir } from '../../helpers/paths.js';

const RUNTIME = '/run/user/1000';

/** A fake root holding `files` (path → content; a path ending in / is a folder). */
function root(files: string[]): string {
  const dir = scratchDir('preflight');
  for (const f of files) {
    const p = join(dir, f);
    if (f.endsWith('/')) mkdirSync(p, { recursive: true });
    else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.includes('osrelease') ? '5.15.90.1-microsoft-standard-WSL2\n' : '');
    }
  }
  return dir;
}

function ctx(rootDir: string, env: NodeJS.ProcessEnv, uid = 1000): SystemContext {
  return { run: async (argv) => ({ argv, code: 0, stdout: '', stderr: '' }), env, uid, home: '/home/u', root: rootDir };
}

const HEALTHY = ['run/systemd/system/', `${RUNTIME.slice(1)}/systemd/private`];
const ENV = { XDG_RUNTIME_DIR: RUNTIME, USER: 'u' };

const CASES: Array<{ why: string; files: string[]; env: NodeJS.ProcessEnv; uid?: number; message: RegExp }> = [
  {
    why: 'systemd is not PID 1',
    files: [],
    env: ENV,
    message: /systemd is not the init system here \(no \/run\/systemd\/system\)\. Use the fallback client/,
  },
  {
    why: 'WSL without systemd',
    files: ['proc/sys/kernel/osrelease'],
    env: ENV,
    message: /this is WSL without systemd\. Add "\[boot\]\\nsystemd=true" to \/etc\/wsl\.conf/,
  },
  {
    why: 'a docker container',
    files: ['.dockerenv'],
    env: ENV,
    message: /a container whose init is not systemd\. Run the worker with `initsock-worker --listen/,
  },
  {
    why: 'a podman container',
    files: ['run/.containerenv'],
    env: ENV,
    message: /a container whose init is not systemd/,
  },
  {
    why: '$container set',
    files: [],
    env: { ...ENV, container: 'lxc' },
    message: /a container whose init is not systemd/,
  },
  {
    why: 'no XDG_RUNTIME_DIR',
    files: HEALTHY,
    env: { USER: 'u' },
    message: /XDG_RUNTIME_DIR is not set.*export XDG_RUNTIME_DIR=\/run\/user\/1000/,
  },
  {
    why: 'no user manager socket',
    files: ['run/systemd/system/'],
    env: ENV,
    message: /no user manager is running for uid 1000 \(\/run\/user\/1000\/systemd\/private is missing\)/,
  },
  {
    why: 'under sudo for another user',
    files: HEALTHY,
    env: { ...ENV, SUDO_USER: 'alice' },
    uid: 0,
    message: /running under sudo as root for alice.*Run install-service as alice without sudo/,
  },
];

for (const c of CASES) {
  test(`preflight: ${c.why} → NO_INIT_SYSTEM with what to do`, async (t) => {
    const dir = root(c.files);
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    await assert.rejects(systemdPreflight(ctx(dir, c.env, c.uid)), (err) => {
      assert.ok(isInitsockError(err, 'NO_INIT_SYSTEM'), String(err));
      assert.match(err.message, c.message);
      return true;
    });
  });
}

test('preflight: systemd inside a container is fine (systemd-nspawn, the test box)', async (t) => {
  const dir = root([...HEALTHY, '.dockerenv']);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual((await systemdPreflight(ctx(dir, ENV))).warnings.length, 1);
});

test('preflight: root running as itself (SUDO_USER=root or unset) is fine', async (t) => {
  const dir = root(HEALTHY);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await systemdPreflight(ctx(dir, { ...ENV, SUDO_USER: 'root' }, 0));
});

test('preflight: lingering off → a warning that offers --linger; on → no warning', async (t) => {
  const dir = root(HEALTHY);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const off = await systemdPreflight(ctx(dir, ENV));
  assert.equal(off.linger, false);
  assert.match(off.warnings[0] ?? '', /lingering is off: .* stops when your last session ends.* Pass --linger/);
  mkdirSync(join(dir, 'var/lib/systemd/linger'), { recursive: true });
  writeFileSync(join(dir, 'var/lib/systemd/linger/u'), '');
  const on = await systemdPreflight(ctx(dir, ENV));
  assert.equal(on.linger, true);
  assert.deepEqual(on.warnings, []);
});
