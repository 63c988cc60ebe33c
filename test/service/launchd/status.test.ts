// launchd status from `launchctl print` (fixtures written from public examples, see test/fixtures/launchd/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchd } from '../../../src/service/launchd/index.js';
import { parseLaunchctlPrint } from '../../../src/service/launchd/print.js';
import type { CommandRunner } from '../../../src/exec/runner.js';
import { fixturesDir, scratchDir } from '../../helpers/paths.js';
import { baseConfig, context } from './fixtures.js';

const fixture = (name: string): string => readFileSync(join(fixturesDir, 'launchd', `print-${name}.txt`), 'utf8');

/** A runner that answers `launchctl print gui/501/<label>` with one fixture and records the argv. */
function printing(name: string, calls: string[][] = []): CommandRunner {
  return async (argv) => {
    calls.push(argv);
    const text = fixture(name);
    return name === 'not-found'
      ? { argv, code: 113, stdout: '', stderr: text }
      : { argv, code: 0, stdout: text, stderr: '' };
  };
}

test('the print parser reads top-level fields and ignores the same names inside nested blocks', () => {
  const running = parseLaunchctlPrint(fixture('running'));
  assert.deepEqual(
    { ...running, fields: undefined },
    {
      state: 'running',
      pid: 4242,
      lastExitCode: 0,
      lastSignal: null,
      runs: 3,
      jobState: null,
      lastExitReason: null,
      path: '/Users/alice/Library/LaunchAgents/com.initsock.initsock-worker.plist',
      fields: undefined,
    },
  );
  assert.equal(running.fields['immediate reason'], 'ipc (socket)');
  const waiting = parseLaunchctlPrint(fixture('waiting'));
  assert.deepEqual([waiting.state, waiting.pid, waiting.lastExitCode, waiting.runs], ['not running', null, null, 0]);
  const failed = parseLaunchctlPrint(fixture('failed'));
  assert.equal(failed.state, 'not running', 'not "decoy-from-the-environment"');
  assert.equal(failed.lastExitCode, 78, 'not the 0 inside endpoints');
  assert.equal(
    parseLaunchctlPrint('gui/501/x = {\n\tstate = not running\n\tlast terminating signal = Killed: 9\n}\n').lastSignal,
    'Killed: 9',
  );
  assert.deepEqual(parseLaunchctlPrint('some future launchctl saying something else').fields, {});
});

test('running with a pid', async () => {
  const calls: string[][] = [];
  const st = await launchd.status(baseConfig(), context(printing('running', calls)));
  assert.deepEqual(calls, [['launchctl', 'print', 'gui/501/com.initsock.initsock-worker']]);
  assert.deepEqual(st, {
    name: 'initsock-worker',
    init: 'launchd',
    state: 'running',
    pid: 4242,
    port: 37777,
    host: '127.0.0.1',
    uptimeMs: null,
  });
});

test('loaded with no process: launchd listens, the worker starts on the next connection', async () => {
  const st = await launchd.status(baseConfig(), context(printing('waiting')));
  assert.deepEqual(st, {
    name: 'initsock-worker',
    init: 'launchd',
    state: 'listening',
    pid: null,
    port: 37777,
    host: '127.0.0.1',
  });
});

test('last exit status 78: failed, with the reason and where to look', async () => {
  const st = await launchd.status(baseConfig(), context(printing('failed')));
  assert.equal(st.state, 'failed');
  assert.match(st.reason ?? '', /last exited with code 78 \(EX_CONFIG/);
  assert.match(st.fix ?? '', /Library\/Logs\/initsock-worker\/stderr\.log.*install-service repair/);
});

test('not loaded: not installed without a plist; failed with the bootstrap command when the plist exists', async () => {
  const home = scratchDir('launchd-status');
  const ctx = context(printing('not-found'), { home });
  const cfg = baseConfig({ home });
  assert.equal((await launchd.status(cfg, ctx)).state, 'not-installed');
  const plist = join(home, 'Library', 'LaunchAgents', 'com.initsock.initsock-worker.plist');
  mkdirSync(join(home, 'Library', 'LaunchAgents'), { recursive: true });
  writeFileSync(plist, launchd.render(cfg, ctx)[0]!.content);
  const st = await launchd.status(cfg, ctx);
  assert.equal(st.state, 'failed');
  assert.match(st.reason ?? '', /exists but launchd has not loaded it/);
  assert.equal(st.fix, `install-service repair (or launchctl bootstrap gui/501 ${plist})`);
  rmSync(home, { recursive: true, force: true });
});

test('locations: the plist in ~/Library/LaunchAgents and the log folder', () => {
  assert.deepEqual(launchd.locations(baseConfig(), context(printing('waiting'))), {
    dir: '/Users/alice/Library/LaunchAgents',
    files: ['/Users/alice/Library/LaunchAgents/com.initsock.initsock-worker.plist'],
    dirs: ['/Users/alice/Library/Logs/initsock-worker'],
  });
});

test('a job launchd cannot spawn, or that the kernel ended, is failed with the reason in words, not listening', async () => {
  const cases: Array<[string, RegExp]> = [
    [
      'spawn-failed-codesigning',
      /could not start the worker \(job state = spawn failed\): macOS refused the program's code signature.*OS_REASON_CODESIGNING/,
    ],
    ['spawn-failed-dyld', /spawn failed\): the dynamic loader could not load the program/],
    ['exit-reason-tcc', /last run was ended: macOS privacy controls \(TCC\)/],
    ['jetsam', /killed by a signal \(Killed: 9\): macOS killed the worker for using too much memory \(jetsam\)/],
    ['crashed-segv', /killed by a signal \(Segmentation fault: 11\)/],
  ];
  for (const [name, reason] of cases) {
    const st = await launchd.status(baseConfig(), context(printing(name)));
    assert.equal(st.state, 'failed', name);
    assert.match(st.reason ?? '', reason, name);
  }
  const spawn = await launchd.status(baseConfig(), context(printing('spawn-failed-dyld')));
  assert.match(
    spawn.fix ?? '',
    /\/opt\/homebrew\/bin\/node --version.*install-service --node/,
    'repair cannot fix a program macOS refuses',
  );
});

test("launchd's own SIGTERM (bootout, kickstart -k) is not a failure: the socket is listening", async () => {
  const st = await launchd.status(baseConfig(), context(printing('stopped-sigterm')));
  assert.equal(st.state, 'listening');
  const p = parseLaunchctlPrint(fixture('spawn-failed-codesigning'));
  assert.deepEqual(
    [p.jobState, p.lastExitCode, p.lastExitReason],
    ['spawn failed', null, 'OS_REASON_CODESIGNING | Launch Constraint Violation'],
  );
});
