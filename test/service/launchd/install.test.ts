// launchd install/uninstall/repair through the real executor (install/apply.ts) and a scripted launchctl: every call and every rollback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../../install/apply.js';
import { readSnapshot } from '../../../src/exec/atomic-write.js';
import { launchd } from '../../../src/service/launchd/index.js';
import { goneBoundMs, GONE_POLL_MS, GONE_SLACK_S } from '../../../src/service/launchd/steps.js';
import { jobRef } from '../../../src/service/launchd/plan.js';
import { koffiProbeArgv } from '../../../src/service/launchd/koffi-check.js';
import { runCommand } from '../../../src/exec/runner.js';
import { isInitsockError } from '../../../src/errors.js';
import type { FileState, Plan, ServiceConfig, StepContext } from '../../../src/service/types.js';
import { scratchDir } from '../../helpers/paths.js';
import { baseConfig } from './fixtures.js';
import { FakeLaunchd } from './fake.js';

const LABEL = 'com.initsock.initsock-worker';
const T = `gui/501/${LABEL}`;

/** A scratch home, a fake launchd, and the context and helpers bound to them. */
function setup(over: Partial<ServiceConfig> = {}) {
  const home = scratchDir('launchd-home');
  const fake = new FakeLaunchd();
  const sleeps: number[] = [];
  const ctx: StepContext = {
    run: fake.run,
    env: { PATH: '/usr/bin:/bin' },
    uid: 501,
    home,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    log: () => {},
  };
  const cfg = baseConfig({ home, ...over });
  const plist = join(home, 'Library', 'LaunchAgents', `${LABEL}.plist`);
  const files = (c: ServiceConfig = cfg): FileState[] =>
    launchd.render(c, ctx).map((file) => ({ file, current: readSnapshot(file.path) }));
  const install = async (c: ServiceConfig = cfg, extra: Plan['steps'] = []) => {
    const plan = await launchd.planInstall(c, files(c), ctx, {});
    return applyPlan({ ...plan, steps: plan.steps.length ? [...plan.steps, ...extra] : [] }, ctx);
  };
  const cleanup = () => rmSync(home, { recursive: true, force: true });
  return { home, fake, ctx, cfg, plist, sleeps, files, install, cleanup };
}

/** The CLI's /health step, failing: what happens when the worker does not answer after install. */
const failingHealth = {
  kind: 'action' as const,
  description: 'GET /health',
  run: async () => {
    throw new Error('no answer from 127.0.0.1:37777');
  },
};

test('fresh install: print, then enable → bootstrap → print; folders and plist written', async () => {
  const s = setup();
  await s.install();
  assert.deepEqual(s.fake.calls, [
    `launchctl print ${T}`,
    `launchctl enable ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
    `launchctl print ${T}`,
  ]);
  assert.ok(
    existsSync(join(s.home, 'Library', 'Logs', 'initsock-worker')),
    'the log folder exists before launchd reads the plist',
  );
  assert.equal(s.fake.loadedContent, readFileSync(s.plist, 'utf8'));
  s.cleanup();
});

test('unchanged and loaded: nothing to do', async () => {
  const s = setup();
  await s.install();
  s.fake.calls.length = 0;
  const plan = await launchd.planInstall(s.cfg, s.files(), s.ctx, {});
  assert.deepEqual(plan.steps, []);
  assert.deepEqual(s.fake.calls, [`launchctl print ${T}`]);
  s.cleanup();
});

test('changed while loaded: bootout and wait until really gone, then enable → bootstrap → print', async () => {
  const s = setup();
  await s.install();
  s.fake.calls.length = 0;
  s.fake.lingerPolls = 2;
  await s.install({ ...s.cfg, port: 40000 });
  assert.deepEqual(s.fake.calls, [
    `launchctl print ${T}`,
    `launchctl bootout ${T}`,
    `launchctl print ${T}`,
    `launchctl print ${T}`,
    `launchctl print ${T}`,
    `launchctl enable ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
    `launchctl print ${T}`,
  ]);
  assert.deepEqual(s.sleeps, [GONE_POLL_MS, GONE_POLL_MS]);
  assert.match(s.fake.loadedContent ?? '', /<string>40000<\/string>/);
  s.cleanup();
});

test('bootstrap says "already loaded" (exit 5 while listed): bootout, wait, retry once', async () => {
  const s = setup();
  s.fake.failures.push({
    match: 'launchctl bootstrap',
    code: 5,
    stderr: 'Bootstrap failed: 5: Input/output error',
    effect: (f) => {
      f.loaded = true;
    },
  });
  await s.install();
  assert.deepEqual(s.fake.calls, [
    `launchctl print ${T}`,
    `launchctl enable ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
    `launchctl print ${T}`,
    `launchctl bootout ${T}`,
    `launchctl print ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
    `launchctl print ${T}`,
  ]);
  assert.ok(s.fake.loaded);
  s.cleanup();
});

test('bootstrap exit 5 with nothing loaded is a bad plist: error says what to check; the fresh install is rolled back', async () => {
  const s = setup();
  s.fake.failures.push({ match: 'launchctl bootstrap', code: 5, stderr: 'Bootstrap failed: 5: Input/output error' });
  await assert.rejects(
    s.install(),
    (e: unknown) =>
      isInitsockError(e, 'COMMAND_FAILED') && /plutil -lint/.test(e.message) && /Rolled back/.test(e.message),
  );
  assert.deepEqual(s.fake.calls, [
    `launchctl print ${T}`,
    `launchctl enable ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
    `launchctl print ${T}`,
  ]);
  assert.ok(!existsSync(s.plist), 'the new plist is removed');
  assert.ok(!existsSync(join(s.home, 'Library')), 'the folders it created are removed');
  assert.equal(s.fake.loaded, false);
  s.cleanup();
});

test('a job that never goes away after bootout: TIMEOUT after a bounded wait, and the old plist is back', async () => {
  const s = setup();
  await s.install();
  const old = readFileSync(s.plist, 'utf8');
  s.fake.lingerPolls = Number.MAX_SAFE_INTEGER;
  await assert.rejects(
    s.install({ ...s.cfg, port: 40000 }),
    (e: unknown) => isInitsockError(e, 'TIMEOUT') && /launchctl kill SIGKILL/.test(e.message),
  );
  assert.equal(s.sleeps.length, goneBoundMs(jobRef(s.cfg, s.ctx)) / GONE_POLL_MS, 'polls are bounded');
  assert.equal(readFileSync(s.plist, 'utf8'), old);
  s.cleanup();
});

test('a failed upgrade restores the old plist and loads the old job again', async () => {
  const s = setup();
  await s.install();
  const old = readFileSync(s.plist, 'utf8');
  s.fake.calls.length = 0;
  s.fake.failures.push({ match: 'launchctl bootstrap', code: 5, stderr: 'Bootstrap failed: 5: Input/output error' });
  await assert.rejects(s.install({ ...s.cfg, port: 40000 }), (e: unknown) => isInitsockError(e, 'COMMAND_FAILED'));
  assert.deepEqual(s.fake.calls, [
    `launchctl print ${T}`,
    `launchctl bootout ${T}`,
    `launchctl print ${T}`,
    `launchctl enable ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
    `launchctl print ${T}`,
    `launchctl print ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
  ]);
  assert.equal(readFileSync(s.plist, 'utf8'), old);
  assert.equal(s.fake.loadedContent, old, 'launchd runs the old job again');
  s.cleanup();
});

test('/health failing after bootstrap: the new job is booted out, the old plist and job come back', async () => {
  const s = setup();
  await s.install();
  const old = readFileSync(s.plist, 'utf8');
  s.fake.calls.length = 0;
  await assert.rejects(s.install({ ...s.cfg, port: 40000 }, [failingHealth]), /GET \/health failed/);
  assert.deepEqual(s.fake.calls, [
    `launchctl print ${T}`,
    `launchctl bootout ${T}`,
    `launchctl print ${T}`,
    `launchctl enable ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
    `launchctl print ${T}`,
    // rollback: the bootstrap's undo, then (after the old plist is restored) the old job again
    `launchctl bootout ${T}`,
    `launchctl print ${T}`,
    `launchctl print ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
  ]);
  assert.equal(readFileSync(s.plist, 'utf8'), old);
  assert.equal(s.fake.loadedContent, old);
  assert.ok(s.fake.loaded);
  s.cleanup();
});

test('the wait after bootout follows the shutdown timeout: a 30 s drain is waited for, not cut off at the default', async () => {
  const s = setup({ shutdownTimeoutMs: 30_000 });
  await s.install();
  const bound = goneBoundMs(jobRef(s.cfg, s.ctx));
  assert.ok(bound >= 30_000 + GONE_SLACK_S * 1000, `the bound (${bound} ms) covers the drain`);
  // The loaded job takes 30 s to drain: well past the 20 s a fixed default allowed.
  s.fake.lingerPolls = 30_000 / GONE_POLL_MS;
  await s.install({ ...s.cfg, port: 40000 });
  assert.equal(s.fake.loaded, true);
  assert.ok(s.sleeps.length >= 30_000 / GONE_POLL_MS);
  s.cleanup();
});

test('a loaded job whose plist had a longer exit timeout is waited for that long', () => {
  const job = { uid: 501, label: LABEL, plist: '/x.plist', exitTimeoutS: 18 };
  assert.equal(goneBoundMs(job, 'gui/501/x = {\n\texit timeout = 61\n}\n'), (61 + GONE_SLACK_S) * 1000);
  assert.equal(goneBoundMs(job, 'gui/501/x = {\n\tstate = running\n}\n'), (18 + GONE_SLACK_S) * 1000);
});

test('a node that cannot load koffi (wrong architecture, --omit=optional) is refused with the fix', async () => {
  const s = setup({ node: '/usr/local/bin/node' });
  s.fake.koffiProbeResult = {
    code: 1,
    stderr:
      "node:internal/modules/cjs/loader:1228\n  throw err;\nError: Cannot find module '@koromix/koffi-darwin-x64'\n",
  };
  await assert.rejects(
    launchd.checkRuntime!(s.cfg, s.ctx),
    (e: unknown) =>
      isInitsockError(e, 'INVALID_VALUE') &&
      /\/usr\/local\/bin\/node\) cannot load koffi.*Cannot find module '@koromix\/koffi-darwin-x64'.*Pass --node/.test(
        e.message,
      ),
  );
  assert.deepEqual(
    s.fake.probes.map((argv) => argv.slice(0, 2)),
    [['/usr/local/bin/node', '-e']],
  );
  assert.deepEqual(s.fake.calls, [], 'no launchctl call');
  s.cleanup();
});

test('the koffi probe, run for real with this node, loads the koffi this package resolves', async () => {
  const result = await runCommand(koffiProbeArgv(process.execPath));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, process.arch);
  const broken = await runCommand(koffiProbeArgv(process.execPath, '/nonexistent/koffi/index.cjs'));
  assert.notEqual(broken.code, 0);
});
