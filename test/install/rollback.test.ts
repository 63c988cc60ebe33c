// A failure at each step of install rolls back every earlier step: files removed or restored, units back as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../install/apply.js';
import { isInitsockError } from '../../src/errors.js';
import { probeHealth } from '../../src/service/health.js';
import type { StepContext } from '../../src/service/types.js';
import { scratchDir } from '../helpers/paths.js';
import { freePort, Harness, NAME } from './harness.js';

const S = `${NAME}.socket`;
const SVC = `${NAME}.service`;

/** Fails the first call that matches `pred`, and only that one (the rollback's own calls must succeed). */
function failOnce(pred: (cmd: string) => boolean): (argv: string[]) => boolean {
  let done = false;
  return (argv) => {
    if (done || !pred(argv.slice(2).join(' '))) return false;
    done = true;
    return true;
  };
}

const FRESH_CASES: Array<{ step: string; fail: string | 'verify'; after: string[] }> = [
  {
    step: 'daemon-reload',
    fail: 'daemon-reload',
    after: ['daemon-reload', 'daemon-reload', `reset-failed ${S} ${SVC}`],
  },
  {
    step: 'enable',
    fail: `enable ${S}`,
    after: ['daemon-reload', `enable ${S}`, 'daemon-reload', `reset-failed ${S} ${SVC}`],
  },
  {
    step: 'start',
    fail: `start ${S}`,
    after: ['daemon-reload', `enable ${S}`, `start ${S}`, `disable ${S}`, 'daemon-reload', `reset-failed ${S} ${SVC}`],
  },
  {
    step: 'verify',
    fail: 'verify',
    after: [
      'daemon-reload',
      `enable ${S}`,
      `start ${S}`,
      `stop ${S} ${SVC}`,
      `disable ${S}`,
      'daemon-reload',
      `reset-failed ${S} ${SVC}`,
    ],
  },
];

for (const c of FRESH_CASES) {
  test(`fresh install, failure at ${c.step}: exit 1, no file left, earlier steps undone`, async (t) => {
    const h = new Harness();
    t.after(() => h.cleanup());
    const before = h.snapshot();
    if (c.fail === 'verify') h.fake.healthy = false;
    else h.fake.failWhen = failOnce((cmd) => cmd === c.fail);
    const r = await h.cli(['--port', String(await freePort())]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /failed: .*Rolled back: /);
    assert.deepEqual(h.fake.actions, c.after);
    assert.deepEqual(h.snapshot(), before, 'the home is exactly as before (no unit file, no new folder)');
    assert.equal(h.fake.socket.enabled, false);
    assert.equal(h.fake.listening, null);
  });
}

const REINSTALL_CASES: Array<{ step: string; fail: string }> = [
  { step: 'stop of the old worker', fail: `stop ${SVC}` },
  { step: 'daemon-reload', fail: 'daemon-reload' },
  { step: 'socket restart', fail: `restart ${S}` },
];

for (const c of REINSTALL_CASES) {
  test(`re-install with a new port, failure at ${c.step}: old files back, old socket listening`, async (t) => {
    const h = new Harness();
    t.after(() => h.cleanup());
    const [p1, p2] = [await freePort(), await freePort()];
    assert.equal((await h.cli(['--port', String(p1)])).code, 0);
    const before = h.snapshot();
    h.fake.failWhen = failOnce((cmd) => cmd === c.fail);
    const r = await h.cli(['--port', String(p2)]);
    assert.equal(r.code, 1, r.out);
    // The old worker is stopped only after the new files are loaded, so every failure here has files to restore.
    assert.match(r.err, /Rolled back: (run: systemctl --user stop hw\.service; )?restore the previous .*hw\.socket/);
    assert.deepEqual(h.snapshot(), before, 'unit files restored byte for byte');
    assert.equal(h.fake.listening, `127.0.0.1:${p1}`);
    assert.equal((await probeHealth('127.0.0.1', p1)).status, 'ok');
  });
}

test('re-install, verify fails: the new files are replaced by the old ones and the old socket restarted', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const [p1, p2] = [await freePort(), await freePort()];
  assert.equal((await h.cli(['--port', String(p1)])).code, 0);
  const before = h.snapshot();
  h.fake.healthy = false;
  h.fake.calls.length = 0;
  const r = await h.cli(['--port', String(p2)]);
  assert.equal(r.code, 1);
  assert.match(r.err, /verify: GET .*failed: the worker did not answer/);
  assert.deepEqual(h.fake.actions, [
    'daemon-reload',
    `stop ${SVC}`,
    `restart ${S}`,
    `stop ${SVC}`,
    'daemon-reload',
    `reset-failed ${S} ${SVC}`,
    `restart ${S}`,
  ]);
  assert.deepEqual(h.snapshot(), before);
  assert.equal(h.fake.listening, `127.0.0.1:${p1}`);
});

test('applyPlan: a failing write undoes the earlier write and says so', async (t) => {
  const dir = scratchDir('apply');
  t.after(() => import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true })));
  writeFileSync(join(dir, 'a'), 'old a');
  const ctx: StepContext = {
    run: async (argv) => ({ argv, code: 0, stdout: '', stderr: '' }),
    env: {},
    uid: 0,
    home: dir,
    sleep: async () => {},
    log: () => {},
  };
  const plan = {
    steps: [
      { kind: 'write' as const, file: { path: join(dir, 'a'), content: 'new a', mode: 0o644 } },
      { kind: 'write' as const, file: { path: join(dir, 'b'), content: 'new b', mode: 0o644 } },
      { kind: 'write' as const, file: { path: join(dir, 'missing', 'c'), content: 'c', mode: 0o644 } },
    ],
  };
  await assert.rejects(applyPlan(plan, ctx), (err) => {
    assert.ok(isInitsockError(err, 'WRITE_FAILED'));
    assert.match(err.message, /missing\/c .*failed: .*Rolled back: remove .*\/b; restore the previous .*\/a/);
    return true;
  });
  assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'old a');
  assert.equal(existsSync(join(dir, 'b')), false);
});

test('applyPlan: a failing command after a mkdir removes the folder it created', async (t) => {
  const dir = scratchDir('apply');
  t.after(() => import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true })));
  mkdirSync(join(dir, 'keep'));
  const ctx: StepContext = {
    run: async (argv) => ({ argv, code: 3, stdout: '', stderr: 'boom\n' }),
    env: {},
    uid: 0,
    home: dir,
    sleep: async () => {},
    log: () => {},
  };
  const plan = {
    steps: [
      { kind: 'mkdir' as const, path: join(dir, 'keep', 'x', 'y'), mode: 0o700 },
      { kind: 'run' as const, argv: ['false', 'arg'] },
    ],
  };
  await assert.rejects(
    applyPlan(plan, ctx),
    /`false arg` exited with 3: boom\..*Rolled back: remove folder .*\/y; remove folder .*\/x/,
  );
  assert.equal(existsSync(join(dir, 'keep', 'x')), false);
  assert.equal(existsSync(join(dir, 'keep')), true);
});

test('uninstall, failure at daemon-reload: files and token back, socket re-enabled and listening again', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const port = await freePort();
  assert.equal((await h.cli(['--port', String(port)])).code, 0);
  const before = h.snapshot();
  h.fake.failWhen = failOnce((cmd) => cmd === 'daemon-reload');
  h.fake.calls.length = 0;
  const r = await h.cli(['uninstall']);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    /run: systemctl --user daemon-reload failed: .*Rolled back: restore .*hw\.service; restore .*hw\.socket; run: systemctl --user enable hw\.socket; run: systemctl --user daemon-reload; run: systemctl --user start hw\.socket/,
  );
  assert.deepEqual(h.fake.actions, [
    `stop ${S} ${SVC}`,
    `disable ${S}`,
    'daemon-reload',
    `enable ${S}`,
    'daemon-reload',
    `start ${S}`,
  ]);
  assert.deepEqual(h.snapshot(), before);
  assert.equal(h.fake.listening, `127.0.0.1:${port}`);
});

test('interrupted (SIGINT) mid-install: stops before the next step, rolls back, exit 1', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const before = h.snapshot();
  const controller = new AbortController();
  const run = h.fake.run;
  const interrupting: typeof run = async (argv, opts) => {
    const res = await run(argv, opts);
    if (argv[2] === 'enable') controller.abort('SIGINT'); // the user presses Ctrl-C while enable runs
    return res;
  };
  const r = await h.cli(['--port', String(await freePort())], {
    run: interrupting,
    trapInterrupts: () => controller.signal,
  });
  assert.equal(r.code, 1, r.err);
  assert.match(
    r.err,
    /run: systemctl --user start hw\.socket failed: interrupted \(SIGINT\) before this step\. Run install-service again to finish\. Rolled back: /,
  );
  assert.deepEqual(h.fake.actions, [
    'daemon-reload',
    `enable ${S}`,
    `disable ${S}`,
    'daemon-reload',
    `reset-failed ${S} ${SVC}`,
  ]);
  assert.deepEqual(h.snapshot(), before);
});
