// The systemd launch: the systemd-run command line, the retry while the previous runner's unit is still loaded, failures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isInitsockError } from '../../src/errors.js';
import type { CommandRunner, CommandResult } from '../../src/exec/runner.js';
import { launchRunner, systemdRunArgv } from '../../src/jobs/launch.js';
import type { JobRequest } from '../../src/jobs/state.js';

const req: JobRequest = {
  key: 'mine "x"\nnext',
  argv: ['true'],
  cwd: '/',
  env: {},
  maxRuntimeMs: 0,
  maxParallel: 0,
  tasksMax: '64',
  memoryMax: '256M',
  requestedAt: '2026-01-01T00:00:00Z',
};

/** A runner that answers each call with the next scripted result and records the argv. */
function scripted(results: Array<Partial<CommandResult>>): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run = (async (argv: string[]) => {
    calls.push(argv);
    return { argv, code: 0, stdout: '', stderr: '', ...results.shift() };
  }) as CommandRunner & { calls: string[][] };
  run.calls = calls;
  return run;
}

test('systemd-run gets the unit name from the id, the key JSON-quoted in Description=, the caps and the runner', () => {
  const argv = systemdRunArgv(req, { dir: '/run/user/1/initsock/jobs', id: 'mine_x_next-0123456789abcdef' });
  assert.deepEqual(argv.slice(0, 5), [
    'systemd-run',
    '--user',
    '--quiet',
    '--collect',
    '--unit=initsock-job-mine_x_next-0123456789abcdef.service',
  ]);
  for (const p of [
    'KillMode=control-group',
    'Type=exec',
    'TasksMax=64',
    'MemoryMax=256M',
    'Description=initsock job "mine \\"x\\"\\nnext"',
    'SyslogIdentifier=initsock-job-mine_x_next-0123456789abcdef',
  ]) {
    assert.ok(argv.includes(p), `${p} in ${argv.join(' ')}`);
  }
  assert.deepEqual(argv.slice(-3), ['/run/user/1/initsock/jobs', 'mine_x_next-0123456789abcdef', 'systemd']);
});

test('a launch retries while the unit of the same name is still loaded, then succeeds', async () => {
  const run = scripted([
    {
      code: 1,
      stderr:
        'Failed to start transient service unit: Unit initsock-job-a.service was already loaded or has a fragment file.',
    },
    { code: 1, stderr: 'Unit initsock-job-a.service already exists.' },
    { code: 0 },
  ]);
  const launch = await launchRunner(req, { dir: '/d', id: 'a', mode: 'systemd', env: {}, run });
  assert.deepEqual(launch, { kind: 'systemd', unit: 'initsock-job-a.service' });
  assert.equal(run.calls.length, 3);
});

test('another systemd-run failure is COMMAND_FAILED with the command and its stderr, at once', async () => {
  const run = scripted([{ code: 1, stderr: 'Failed to connect to bus: No medium found' }]);
  await assert.rejects(
    launchRunner(req, { dir: '/d', id: 'a', mode: 'systemd', env: {}, run }),
    (e) =>
      isInitsockError(e, 'COMMAND_FAILED') &&
      /systemd-run --user/.test(e.message) &&
      /No medium found/.test(e.message) &&
      /INITSOCK_JOB_MODE=process/.test(e.message),
  );
  assert.equal(run.calls.length, 1);
});
