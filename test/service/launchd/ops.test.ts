// launchd uninstall, repair, restart, preflight and the known launchctl failures, through a scripted launchctl and the real executor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../../install/apply.js';
import { readSnapshot } from '../../../src/exec/atomic-write.js';
import { launchd, planLaunchdRestart } from '../../../src/service/launchd/index.js';
import { launchctlError } from '../../../src/service/launchd/errors.js';
import { isInitsockError, type ErrorCode } from '../../../src/errors.js';
import type { StepContext } from '../../../src/service/types.js';
import { scratchDir } from '../../helpers/paths.js';
import { baseConfig, context } from './fixtures.js';
import { FakeLaunchd } from './fake.js';

const LABEL = 'com.initsock.initsock-worker';
const T = `gui/501/${LABEL}`;

/** An installed (loaded) service in a scratch home. */
async function installed(load = true) {
  const home = scratchDir('launchd-ops');
  const fake = new FakeLaunchd();
  const ctx: StepContext = { run: fake.run, env: {}, uid: 501, home, sleep: async () => {}, log: () => {} };
  const cfg = baseConfig({ home });
  const files = launchd.render(cfg, ctx).map((file) => ({ file, current: readSnapshot(file.path) }));
  await applyPlan(await launchd.planInstall(cfg, files, ctx, {}), ctx);
  if (!load) fake.loaded = false;
  fake.calls.length = 0;
  const plist = join(home, 'Library', 'LaunchAgents', `${LABEL}.plist`);
  return { home, fake, ctx, cfg, plist, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

test('uninstall = bootout (wait) + remove; a second uninstall has nothing to do', async () => {
  const s = await installed();
  await applyPlan(await launchd.planUninstall(s.cfg, s.ctx), s.ctx);
  assert.deepEqual(s.fake.calls, [`launchctl print ${T}`, `launchctl bootout ${T}`, `launchctl print ${T}`]);
  assert.ok(!existsSync(s.plist));
  assert.ok(existsSync(join(s.home, 'Library', 'Logs', 'initsock-worker')), 'logs are kept');
  assert.deepEqual((await launchd.planUninstall(s.cfg, s.ctx)).steps, []);
  s.cleanup();
});

test('an uninstall that fails after the bootout puts the plist back and loads the job again', async () => {
  const s = await installed();
  const plan = await launchd.planUninstall(s.cfg, s.ctx);
  const failing = {
    kind: 'action' as const,
    description: 'a later step',
    run: async () => {
      throw new Error('disk on fire');
    },
  };
  await assert.rejects(applyPlan({ ...plan, steps: [...plan.steps, failing] }, s.ctx), /Rolled back/);
  assert.deepEqual(s.fake.calls, [
    `launchctl print ${T}`,
    `launchctl bootout ${T}`,
    `launchctl print ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
  ]);
  assert.ok(existsSync(s.plist) && s.fake.loaded);
  s.cleanup();
});

test('repair: loaded → enable + kickstart -k; installed but not loaded → enable + bootstrap + print', async () => {
  const s = await installed();
  await applyPlan(await launchd.planRepair(s.cfg, s.ctx), s.ctx);
  assert.deepEqual(s.fake.calls, [`launchctl print ${T}`, `launchctl enable ${T}`, `launchctl kickstart -k ${T}`]);
  s.fake.loaded = false;
  s.fake.calls.length = 0;
  await applyPlan(await launchd.planRepair(s.cfg, s.ctx), s.ctx);
  assert.deepEqual(s.fake.calls, [
    `launchctl print ${T}`,
    `launchctl enable ${T}`,
    `launchctl bootstrap gui/501 ${s.plist}`,
    `launchctl print ${T}`,
  ]);
  rmSync(s.plist);
  s.fake.loaded = false;
  assert.deepEqual((await launchd.planRepair(s.cfg, s.ctx)).steps, []);
  s.cleanup();
});

test('sudo install-service for another user is refused before any launchctl call (it would target gui/0)', async () => {
  const calls: string[][] = [];
  const ctx = context(
    async (argv) => {
      calls.push(argv);
      return { argv, code: 0, stdout: '', stderr: '' };
    },
    { uid: 0, env: { PATH: '/usr/bin:/bin', SUDO_USER: 'alice' } },
  );
  await assert.rejects(
    launchd.preflight(ctx),
    (e: unknown) =>
      isInitsockError(e, 'NO_INIT_SYSTEM') &&
      /under sudo as root for alice.*gui\/0.*Run install-service as alice without sudo/.test(e.message),
  );
  assert.equal(calls.length, 0, 'no launchctl call');
  const rootItself = context(
    async (argv) => {
      calls.push(argv);
      return { argv, code: 0, stdout: '', stderr: '' };
    },
    { uid: 0, env: { PATH: '/usr/bin:/bin', SUDO_USER: 'root' } },
  );
  assert.deepEqual(await launchd.preflight(rootItself), { warnings: [] });
});

test('restart is kickstart -k', async () => {
  const s = await installed();
  await applyPlan(planLaunchdRestart(s.cfg, s.ctx), s.ctx);
  assert.deepEqual(s.fake.calls, [`launchctl kickstart -k ${T}`]);
  s.cleanup();
});

test('no gui domain (exit 125, e.g. over SSH): preflight and planning say to log in at the screen', async () => {
  const s = await installed();
  s.fake.guiDomain = false;
  const noDomain = (e: unknown) =>
    isInitsockError(e, 'NO_INIT_SYSTEM') && /SSH/.test(e.message) && /log in at the screen/i.test(e.message);
  await assert.rejects(launchd.preflight(s.ctx), noDomain);
  await assert.rejects(launchd.planInstall(s.cfg, [], s.ctx, {}), noDomain);
  s.fake.guiDomain = true;
  assert.deepEqual(await launchd.preflight(s.ctx), { warnings: [] });
  assert.deepEqual(s.fake.calls.at(-1), 'launchctl print gui/501');
  s.cleanup();
});

test('bootstrap refused as disabled (119): the error says launchctl enable, and nothing is left behind', async () => {
  const s = await installed(false);
  rmSync(join(s.home, 'Library'), { recursive: true });
  s.fake.failures.push({
    match: 'launchctl bootstrap',
    code: 119,
    stderr: 'Bootstrap failed: 119: Service is disabled',
  });
  const files = launchd.render(s.cfg, s.ctx).map((file) => ({ file, current: readSnapshot(file.path) }));
  await assert.rejects(
    applyPlan(await launchd.planInstall(s.cfg, files, s.ctx, {}), s.ctx),
    (e: unknown) => isInitsockError(e, 'COMMAND_FAILED') && new RegExp(`launchctl enable ${T}`).test(e.message),
  );
  assert.ok(!existsSync(join(s.home, 'Library')));
  s.cleanup();
});

test('each known launchctl exit code has its own error and fix', () => {
  const job = { uid: 501, label: LABEL, plist: '/Users/alice/Library/LaunchAgents/x.plist' };
  const table: Array<[number, string, ErrorCode, RegExp]> = [
    [
      5,
      'Bootstrap failed: 5: Input/output error',
      'COMMAND_FAILED',
      /already loaded.*bootout.*plutil -lint.*Login Items.*launchctl enable.*logged in at the screen.*sudo launchctl bootstrap.*log show --last 5m --predicate 'subsystem == "com.apple.xpc.launchd"'/,
    ],
    [17, 'Bootstrap failed: 17: File exists', 'COMMAND_FAILED', /already loaded/],
    [113, 'Could not find service', 'COMMAND_FAILED', /not loaded.*launchctl bootstrap gui\/501/],
    [119, 'Service is disabled', 'COMMAND_FAILED', /disabled.*launchctl enable gui\/501\//],
    [125, 'Domain does not support specified action', 'NO_INIT_SYSTEM', /no gui\/501 launchd domain.*SSH/],
    [127, 'spawn launchctl ENOENT', 'NO_INIT_SYSTEM', /only on macOS/],
    [1, 'something else', 'COMMAND_FAILED', /launchctl print gui\/501\//],
  ];
  for (const [code, stderr, errCode, message] of table) {
    const err = launchctlError(
      { argv: ['launchctl', 'bootstrap', 'gui/501', job.plist], code, stdout: '', stderr },
      job,
    );
    assert.equal(err.code, errCode, `exit ${code}`);
    assert.match(err.message, message, `exit ${code}`);
    assert.match(err.message, new RegExp(`exited with ${code}: ${stderr}`), `exit ${code} names argv, code and stderr`);
  }
});

test('every step carries the launchctl commands it may run as argv, and its description names each (print/--dry-run)', async () => {
  const s = await installed();
  const files = launchd
    .render({ ...s.cfg, port: 40000 }, s.ctx)
    .map((file) => ({ file, current: readSnapshot(file.path) }));
  const plan = await launchd.planInstall({ ...s.cfg, port: 40000 }, files, s.ctx, {});
  const commands = plan.steps
    .filter((st) => st.kind === 'run' || st.kind === 'action')
    .map((st) => (st.kind === 'run' ? [st.argv] : st.kind === 'action' ? (st.commands ?? []) : []));
  assert.deepEqual(
    commands.map((c) => c[0]?.slice(0, 2).join(' ')),
    ['launchctl bootout', 'launchctl enable', 'launchctl bootstrap', 'launchctl print'],
  );
  for (const st of plan.steps) {
    if (st.kind !== 'action') continue;
    assert.ok(st.commands?.length, `${st.description} lists no commands`);
    for (const argv of st.commands!)
      assert.ok(st.description.includes(argv.join(' ')), `${st.description} does not name ${argv.join(' ')}`);
  }
  assert.ok(
    commands.flat().every((argv) => argv.includes(T) || argv.includes(s.plist) || argv.includes(`gui/${s.ctx.uid}`)),
  );
  s.cleanup();
});
