// `initsock job` without an init system: bad input, --wait exit codes, failed runs in list, --max-runtime, --max-parallel.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixturesDir } from '../helpers/paths.js';
import { processDriver } from './driver.js';
import { alive, gatedJob, listJson, release, settled, stamped, stamps } from './scenario.js';

test('bad input exits 2 at once with a message and records nothing', async () => {
  const d = processDriver('jobs-bad');
  const cases: Array<[string[], RegExp]> = [
    [['run', '--key', '', '--', 'true'], /job key is empty/],
    [['run', '--key', 'k'], /no command to run/],
    [['run', '--key', 'k', '--'], /no command to run/],
    [['run', '--key', 'k', '--', 'no-such-command-xyz'], /"no-such-command-xyz" was not found on PATH/],
    [['run', '--key', 'k', '--', './missing.sh'], /not an executable file/],
    [['run', '--', 'true'], /--key is required/],
    [['run', '--key', 'k', 'true'], /put the command after --/],
    [['run', '--key', 'k', '--max-runtime', 'soon', '--', 'true'], /--max-runtime "soon" is not a duration/],
    [['run', '--key', 'k', '--max-parallel', '0', '--', 'true'], /--max-parallel "0" is not a count/],
    [['run', '--key', 'k', '--memory-max', 'lots', '--', 'true'], /--memory-max/],
    [['frobnicate'], /unknown verb "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const res = await d.job(args);
    assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, message, args.join(' '));
    assert.equal(res.stdout, '');
  }
  const state = join(d.dir, 'state');
  assert.deepEqual(existsSync(state) ? readdirSync(state).filter((f) => !f.startsWith('slots')) : [], []);
});

test('--wait returns the exit code of the run', async () => {
  const d = processDriver('jobs-wait');
  const res = await d.job(['run', '--key', 'w', '--wait', '--', 'sh', '-c', 'exit 7']);
  assert.equal(res.code, 7, res.stderr);
  assert.equal(res.stdout.trim(), 'started');
});

test('--wait during a run waits for the follow-up, not the active run, and a failed run still gets its follow-up', {
  timeout: 60_000,
}, async () => {
  const d = processDriver('jobs-wait-follow');
  assert.equal((await d.job(['run', '--key', 'g', '--', 'sh', gatedJob, d.dir])).stdout.trim(), 'started');
  await stamped(d.dir, 'start', 1);
  const waiter = d.job(['run', '--key', 'g', '--wait', '--', 'sh', gatedJob, d.dir]);
  await pollPending(d);
  release(d.dir, 1, 3);
  await stamped(d.dir, 'start', 2);
  const during = (await listJson(d)).find((j) => j.key === 'g');
  assert.equal(during?.state, 'running');
  assert.deepEqual(
    [during?.last?.exitCode, during?.last?.reason],
    [3, 'exited'],
    'list must show the failed run with its exit code',
  );
  release(d.dir, 2, 5);
  const res = await waiter;
  assert.equal(res.stdout.trim(), 'queued');
  assert.equal(res.code, 5, `--wait returned the code of the wrong run: ${res.stderr}`);
  assert.equal((await settled(d, 'g')).runs, 2);
});

async function pollPending(d: ReturnType<typeof processDriver>): Promise<void> {
  const { pollUntil } = await import('../integration/box/wait.js');
  await pollUntil('the follow-up to be pending', async () =>
    (await listJson(d)).some((j) => j.pending) ? true : undefined,
  );
}

test('--max-runtime stops the run with its tree; --wait reports the signal as 128+N', { timeout: 60_000 }, async () => {
  const d = processDriver('jobs-maxrt');
  const res = await d.job(['run', '--key', 'slow', '--wait', '--max-runtime', '300ms', '--', 'sh', gatedJob, d.dir]);
  assert.equal(res.code, 128 + 15, res.stderr);
  const row = await settled(d, 'slow');
  assert.deepEqual([row.last?.signal, row.last?.reason], ['SIGTERM', 'max-runtime']);
});

test('a daemon the job leaves behind ends with its run (the runner is the subreaper of orphans)', {
  timeout: 60_000,
}, async () => {
  const d = processDriver('jobs-daemon');
  const res = await d.job([
    'run',
    '--key',
    'daemon',
    '--wait',
    '--',
    'sh',
    join(fixturesDir, 'jobs', 'daemonizing-job.sh'),
    d.dir,
  ]);
  assert.equal(res.code, 0, res.stderr);
  const pid = Number(readFileSync(join(d.dir, 'daemon'), 'utf8'));
  assert.ok(pid > 0);
  assert.equal(alive(pid), false, 'the setsid daemon outlived its run');
});

test('--max-parallel 1 runs two keys one after the other', { timeout: 60_000 }, async () => {
  const a = processDriver('jobs-par');
  const b = { ...a, dir: join(a.dir, 'b') };
  (await import('node:fs')).mkdirSync(b.dir);
  for (const [key, dir] of [
    ['a', a.dir],
    ['b', b.dir],
  ] as const) {
    const res = await a.job(['run', '--key', key, '--max-parallel', '1', '--', 'sh', gatedJob, dir]);
    assert.equal(res.stdout.trim(), 'started', res.stderr);
  }
  const { pollUntil } = await import('../integration/box/wait.js');
  const first = await pollUntil('one key to run', () => [a.dir, b.dir].find((dir) => stamps(dir).length > 0));
  const other = first === a.dir ? b.dir : a.dir;
  await pollUntil('the other key to wait for a slot', async () =>
    (await listJson(a)).some((j) => j.state === 'waiting') ? true : undefined,
  );
  assert.equal(stamps(other).length, 0, 'both keys ran at once under --max-parallel 1');
  release(first, 1);
  await stamped(other, 'start', 1);
  release(other, 1);
  await settled(a, 'a');
  await settled(a, 'b');
});

test('a jobs folder other users can write to is refused: a pending request there would run as us', async () => {
  const d = processDriver('jobs-unsafe');
  const state = join(d.dir, 'state');
  mkdirSync(state);
  chmodSync(state, 0o777);
  const res = await d.job(['run', '--key', 'k', '--', 'true']);
  assert.equal(res.code, 7, res.stderr);
  assert.match(res.stderr, /world-writable/);
  assert.deepEqual(readdirSync(state), [], 'nothing was written there');
});

test('a runner killed outright shows as dead, and the next trigger starts a new one for the pending request', {
  timeout: 60_000,
}, async () => {
  const d = processDriver('jobs-dead');
  assert.equal((await d.job(['run', '--key', 'k', '--', 'sh', gatedJob, d.dir])).stdout.trim(), 'started');
  await stamped(d.dir, 'start', 1);
  assert.equal((await d.job(['run', '--key', 'k', '--', 'sh', gatedJob, d.dir])).stdout.trim(), 'queued');
  const statusFile = readdirSync(join(d.dir, 'state')).find((f) => f.endsWith('.json'))!;
  const status = JSON.parse(readFileSync(join(d.dir, 'state', statusFile), 'utf8')) as {
    runnerPid: number;
    jobPid: number;
  };
  process.kill(status.runnerPid, 'SIGKILL');
  process.kill(-status.jobPid, 'SIGKILL'); // no runner is left to end the orphaned run
  const { pollUntil } = await import('../integration/box/wait.js');
  const row = await pollUntil('the job to show as dead', async () =>
    (await listJson(d)).find((j) => j.key === 'k' && j.state === 'dead'),
  );
  assert.equal(row.pending, true);
  assert.equal((await d.job(['run', '--key', 'k', '--', 'sh', gatedJob, d.dir])).stdout.trim(), 'started');
  await stamped(d.dir, 'start', 2);
  release(d.dir, 2);
  assert.equal((await settled(d, 'k')).runs, 2);
});

test('--tasks-max and --memory-max without systemd say they are not enforced, and the job still runs', async () => {
  const d = processDriver('jobs-caps');
  const res = await d.job([
    'run',
    '--key',
    'caps',
    '--wait',
    '--tasks-max',
    '64',
    '--memory-max',
    '256M',
    '--',
    'true',
  ]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stderr, /--tasks-max and --memory-max are not enforced without a systemd user manager/);
});
