// The installer's executor (install/apply.ts, which calls safe-path) against planted links and open folders: it writes nothing through them.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../install/apply.js';
import type { StepContext } from '../../src/service/types.js';
import { runCommand } from '../../src/exec/runner.js';
import { isInitsockError } from '../../src/errors.js';
import { scratchDir } from '../helpers/paths.js';

const root = scratchDir('installer-paths');
after(() => rmSync(root, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;
let n = 0;

function home(): string {
  const h = join(root, `home${n++}`);
  mkdirSync(h, { mode: 0o700 });
  return h;
}

function ctx(h: string): StepContext {
  return {
    run: runCommand,
    env: { HOME: h },
    uid: process.getuid?.() ?? 0,
    home: h,
    sleep: async () => {},
    log: () => {},
  };
}

const unit = (dir: string) => ({
  kind: 'write' as const,
  file: { path: join(dir, 'svc.service'), content: '[Service]\n', mode: 0o644 },
});

test("a unit folder reached through another user's symlink is refused, and nothing lands where it points", async (t) => {
  if (!isRoot) {
    t.skip('needs root to lchown a link to another user');
    return;
  }
  const h = home();
  const elsewhere = join(h, 'attacker-chosen');
  mkdirSync(elsewhere);
  mkdirSync(join(h, '.config'));
  symlinkSync(elsewhere, join(h, '.config', 'systemd'));
  lchownSync(join(h, '.config', 'systemd'), 65534, 65534);
  const dir = join(h, '.config', 'systemd', 'user');
  await assert.rejects(
    applyPlan({ steps: [{ kind: 'mkdir', path: dir, mode: 0o755 }, unit(dir)] }, ctx(h)),
    (e: unknown) => isInitsockError(e, 'UNSAFE_PATH'),
  );
  assert.deepEqual(readdirSync(elsewhere), [], 'nothing created through the link');
});

test('a world-writable unit folder without the sticky bit is refused', async () => {
  const h = home();
  const dir = join(h, 'units');
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  await assert.rejects(applyPlan({ steps: [unit(dir)] }, ctx(h)), (e: unknown) => isInitsockError(e, 'UNSAFE_PATH'));
  assert.equal(existsSync(join(dir, 'svc.service')), false);
});

test('the executor refuses a symlink at the target, and creates nothing world-writable', async () => {
  const h = home();
  const dir = join(h, 'units');
  await applyPlan(
    {
      steps: [
        { kind: 'mkdir', path: dir, mode: 0o777 },
        { ...unit(dir), file: { ...unit(dir).file, mode: 0o666 } },
      ],
    },
    ctx(h),
  );
  assert.equal(lstatSync(dir).mode & 0o002, 0, 'folder not world-writable');
  assert.equal(lstatSync(join(dir, 'svc.service')).mode & 0o002, 0, 'file not world-writable');
  symlinkSync(join(h, 'target'), join(dir, 'link.service'));
  await assert.rejects(
    applyPlan(
      { steps: [{ kind: 'write', file: { path: join(dir, 'link.service'), content: 'x', mode: 0o644 } }] },
      ctx(h),
    ),
    (e: unknown) => isInitsockError(e) && /symbolic link/.test(e.message),
  );
  assert.equal(existsSync(join(h, 'target')), false);
});

test('an unsafe path anywhere in the plan is refused before the first step: nothing is written, nothing rolled back', async () => {
  const h = home();
  const dir = join(h, 'units');
  mkdirSync(dir);
  symlinkSync(join(h, 'target'), join(dir, 'link.socket'));
  const plan = {
    steps: [unit(dir), { kind: 'write' as const, file: { path: join(dir, 'link.socket'), content: 'x', mode: 0o644 } }],
  };
  await assert.rejects(
    applyPlan(plan, ctx(h)),
    (e: unknown) =>
      isInitsockError(e) &&
      /symbolic link/.test(e.message) &&
      /Nothing had been changed yet/.test(e.message) &&
      (e.details.rolledBack as string[]).length === 0,
  );
  assert.equal(existsSync(join(dir, 'svc.service')), false, 'the safe first write never happened');
});
