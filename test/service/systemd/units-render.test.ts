// renderSocketUnit / renderServiceUnit / systemdUnitFiles: worker flags, defaults, and a bad-input matrix that names each field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isInitsockError, type ErrorCode } from '../../../src/errors.js';
import {
  renderServiceUnit,
  renderSocketUnit,
  systemdUnitFiles,
  workerArgv,
} from '../../../src/service/systemd/units.js';
import type { ServiceConfig } from '../../../src/service/types.js';
import { cases } from './cases.js';
import { execArgv, parseUnitFile, value } from '../../render/unit-parser.js';

const base = cases.default!;

test('workerArgv: node, entry, --idle-timeout, --name, then --app, --shutdown-timeout, --token-file and extras when given', () => {
  assert.deepEqual(workerArgv(base), [
    base.node,
    base.entry,
    '--idle-timeout',
    '30min',
    '--name',
    'initsock-worker',
    '--shutdown-timeout',
    '10s',
  ]);
  assert.deepEqual(
    workerArgv({
      ...base,
      app: '/a.js',
      tokenFile: '/t',
      shutdownTimeoutMs: 1500,
      idleTimeoutMs: 0,
      extraArgs: ['--log-level', 'debug'],
    }),
    [
      base.node,
      base.entry,
      '--idle-timeout',
      '0s',
      '--name',
      'initsock-worker',
      '--app',
      '/a.js',
      '--shutdown-timeout',
      '1500ms',
      '--token-file',
      '/t',
      '--log-level',
      'debug',
    ],
  );
});

test('the service ExecStart is workerArgv, and the stop timeout is the whole shutdown budget plus the exit slack', () => {
  const cfg = { ...base, shutdownTimeoutMs: 2000 };
  const unit = parseUnitFile(renderServiceUnit(cfg));
  assert.deepEqual(execArgv(value(unit, 'Service', 'ExecStart')), workerArgv(cfg));
  assert.equal(value(unit, 'Service', 'TimeoutStopSec'), '10s'); // 2 s drain + 5 s child grace + 2 s log flush + 1 s
  assert.equal(value(unit, 'Service', 'Type'), 'exec');
  assert.equal(value(unit, 'Service', 'KillMode'), 'mixed');
  assert.equal(value(unit, 'Service', 'Restart'), 'on-failure');
});

// [what is wrong, the config, the error code, the field the message names]
const bad: Array<[string, Partial<ServiceConfig>, ErrorCode, RegExp]> = [
  ['a name with a space', { name: 'my worker' }, 'INVALID_VALUE', /--name/],
  ['a name with a slash (a path escape)', { name: '../evil' }, 'INVALID_VALUE', /--name/],
  ['a host name', { host: 'localhost' }, 'INVALID_VALUE', /--host/],
  ['port 0', { port: 0 }, 'INVALID_VALUE', /--port/],
  ['a relative node', { node: 'node' }, 'INVALID_VALUE', /--node/],
  ['a node path with a quote', { node: '/opt/x"y/node' }, 'UNSAFE_VALUE', /--node/],
  ['a relative entry', { entry: 'worker.js' }, 'INVALID_VALUE', /--entry/],
  ['a relative app', { app: './app.js' }, 'INVALID_VALUE', /--app/],
  ['a relative working dir', { workingDir: 'work' }, 'INVALID_VALUE', /--working-dir/],
  ['a newline in an env value', { env: [['A', 'x\ny']] }, 'UNSAFE_VALUE', /--env A/],
  ['a bad env name', { env: [['A-B', 'x']] }, 'INVALID_VALUE', /--env name/],
  ['an idle timeout below the minimum', { idleTimeoutMs: 1000 }, 'INVALID_VALUE', /--idle-timeout/],
  ['a restart delay below 100 ms', { restartDelayMs: 10 }, 'INVALID_VALUE', /restart delay/],
  ['a negative shutdown timeout', { shutdownTimeoutMs: -1 }, 'INVALID_VALUE', /--shutdown-timeout/],
  ['TasksMax 0', { tasksMax: 0 }, 'INVALID_VALUE', /tasksMax/],
  ['TasksMax 150%', { tasksMax: '150%' }, 'INVALID_VALUE', /tasksMax/],
  ['MemoryMax with a unit systemd lacks', { memoryMax: '2GB' }, 'INVALID_VALUE', /memoryMax/],
  ['Backlog 0', { backlog: 0 }, 'INVALID_VALUE', /backlog/],
  ['a description ending in a backslash', { description: 'x \\' }, 'UNSAFE_VALUE', /description/],
];

test('bad input matrix: systemdUnitFiles refuses each with a named error and returns nothing', () => {
  for (const [what, patch, code, field] of bad) {
    assert.throws(
      () => systemdUnitFiles({ ...base, ...patch }, '/units'),
      (err: unknown) => {
        assert.ok(isInitsockError(err, code), `${what}: expected ${code}, got ${String(err)}`);
        assert.match(err.message, field, `${what}: the message names the field`);
        assert.match(err.message, /\. [A-Z]/, `${what}: the message says what to do next`);
        return true;
      },
      what,
    );
  }
});

test('an empty or all-space description falls back to the default, which names the unit', () => {
  for (const description of [undefined, '', '   ']) {
    const socket = parseUnitFile(renderSocketUnit({ ...base, description }));
    assert.equal(value(socket, 'Unit', 'Description'), 'initsock worker initsock-worker (socket)');
  }
});
