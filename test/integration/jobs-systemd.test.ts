// Keyed jobs under a real systemd --user: each key's runner is a transient unit; the two-wave experiment, stop, --wait, logs.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { jobId, jobUnit } from '../../src/jobs/key.js';
import { scratchDir } from '../helpers/paths.js';
import { fastBin } from '../jobs/driver.js';
import {
  gatedJob,
  listJson,
  release,
  settled,
  stamped,
  stopScenario,
  stubbornJob,
  stubbornPids,
  twoWaves,
  type JobDriver,
} from '../jobs/scenario.js';
import { pollUntil, useBox, type Box } from './box/index.js';

const boxes = useBox();

function boxDriver(box: Box, prefix: string): JobDriver {
  return {
    dir: scratchDir(prefix),
    job: async (args) => ({
      ...(await box.exec([process.execPath, fastBin, 'job', ...args], { env: box.userEnv, timeoutMs: 60_000 })),
      returnedAt: Date.now(),
    }),
  };
}

function boxOf(t: TestContext): Box | undefined {
  return boxes.get(t);
}

test('two waves of 10 triggers run the job exactly twice, back to back (systemd)', { timeout: 180_000 }, async (t) => {
  const box = boxOf(t);
  if (!box) return;
  await twoWaves(boxDriver(box, 'jobs-box-waves'), 'mine:/src:convos');
});

test('the run is a transient unit named from the key, showing the key, in its own cgroup', {
  timeout: 60_000,
}, async (t) => {
  const box = boxOf(t);
  if (!box) return;
  const d = boxDriver(box, 'jobs-box-unit');
  const key = 'weird key: "quotes" / slashes & ünïcode';
  assert.equal(
    (
      await d.job(['run', '--key', key, '--tasks-max', '64', '--memory-max', '256M', '--', 'sh', gatedJob, d.dir])
    ).stdout.trim(),
    'started',
  );
  await stamped(d.dir, 'start', 1);
  const unit = jobUnit(jobId(key));
  const show = await box.systemctlUser(
    'show',
    unit,
    '-p',
    'Description',
    '-p',
    'ActiveState',
    '-p',
    'KillMode',
    '-p',
    'TasksMax',
    '-p',
    'MemoryMax',
  );
  assert.match(show.stdout, /ActiveState=active/);
  assert.match(show.stdout, /KillMode=control-group/);
  assert.match(show.stdout, /TasksMax=64/);
  assert.match(show.stdout, /MemoryMax=268435456/);
  assert.ok(show.stdout.includes(`Description=initsock job ${JSON.stringify(key)}`), show.stdout);
  assert.equal((await listJson(d)).find((j) => j.key === key)?.state, 'running');
  release(d.dir, 1);
  await settled(d, key);
  const gone = await box.systemctlUser('show', unit, '-p', 'LoadState');
  assert.match(gone.stdout, /LoadState=not-found/, 'the unit is collected when its runner exits');
});

test('stop ends a SIGTERM-ignoring job and its setsid grandchild (systemd)', { timeout: 90_000 }, async (t) => {
  const box = boxOf(t);
  if (!box) return;
  await stopScenario(boxDriver(box, 'jobs-box-stop'), 'stubborn', async (pid) => {
    const stat = await box.exec(['cat', `/proc/${pid}/stat`]);
    return stat.code === 0 && !/\) [ZX] /.test(stat.stdout);
  });
});

test('--wait returns the exit code; logs shows the run from the journal (systemd)', { timeout: 60_000 }, async (t) => {
  const box = boxOf(t);
  if (!box) return;
  const d = boxDriver(box, 'jobs-box-wait');
  const res = await d.job(['run', '--key', 'w', '--wait', '--', 'sh', '-c', 'echo hello-from-the-job; exit 9']);
  assert.equal(res.code, 9, res.stderr);
  // journald files a stream's lines asynchronously: wait until the last one is there.
  const logs = await pollUntil(
    'the run in the journal',
    async () => {
      const r = await d.job(['logs', 'w']);
      return r.code === 0 && /run 1 ended: exited, exit 9/.test(r.stdout) ? r : undefined;
    },
    { intervalMs: 100 },
  );
  assert.match(logs.stdout, /hello-from-the-job/);
});

// Last in this file: it stops the box's user manager.
test('a job never outlives the user manager: stopping it ends the job tree (systemd)', {
  timeout: 90_000,
}, async (t) => {
  const box = boxOf(t);
  if (!box) return;
  const d = boxDriver(box, 'jobs-box-manager');
  assert.equal((await d.job(['run', '--key', 'outlive', '--', 'sh', stubbornJob, d.dir])).stdout.trim(), 'started');
  const pids = await stubbornPids(d.dir);
  // --no-block: this box's manager lingers after reaching exit.target until its own stop timeout, jobs or not.
  const stop = await box.systemctl('stop', '--no-block', 'user-manager.service');
  assert.equal(stop.code, 0, stop.stderr);
  const gone = async (pid: number) => {
    const stat = await box.exec(['cat', `/proc/${pid}/stat`]);
    return stat.code !== 0 || /\) [ZX] /.test(stat.stdout);
  };
  await pollUntil(
    'the job tree to end with the manager',
    async () => ((await gone(pids.child)) && (await gone(pids.grandchild)) ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 200 },
  );
});
