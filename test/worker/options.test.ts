// parseWorkerOptions: flag over environment over default, and each bad value named in a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkerOptions } from '../../src/worker/options.js';

test('defaults', () => {
  assert.deepEqual(parseWorkerOptions([], {}, '/cwd'), {
    idleTimeoutMs: 0,
    shutdownTimeoutMs: 10_000,
    name: 'initsock-worker',
    socketName: 'Listeners',
    logLevel: 'info',
    allowHosts: [],
    allowOrigins: [],
    allowOtherUsers: false,
    allowWebPages: false,
    help: false,
    version: false,
  });
});

test('--allow-other-users, or INITSOCK_ALLOW_OTHER_USERS=1, turns off the accept-time peer-owner check', () => {
  assert.equal(parseWorkerOptions(['--allow-other-users'], {}).allowOtherUsers, true);
  assert.equal(parseWorkerOptions([], { INITSOCK_ALLOW_OTHER_USERS: '1' }).allowOtherUsers, true);
  assert.equal(parseWorkerOptions([], { INITSOCK_ALLOW_OTHER_USERS: '0' }).allowOtherUsers, false);
});

test('the environment over the default, a flag over the environment; relative paths resolve from cwd', () => {
  const env = {
    INITSOCK_IDLE_TIMEOUT: '10min',
    INITSOCK_NAME: 'env-name',
    INITSOCK_APP: 'app.js',
    INITSOCK_LOG_FILE: '/l/w.log',
    INITSOCK_LISTEN: '127.0.0.1:1',
    INITSOCK_SOCKET_NAME: 'S',
    INITSOCK_TOKEN_FILE: 't',
    INITSOCK_SHUTDOWN_TIMEOUT: '1s',
    INITSOCK_LOG_LEVEL: 'warn',
    INITSOCK_ALLOW_HOSTS: 'env.lan',
    INITSOCK_ALLOW_ORIGINS: ' http://a.test , http://b.test:8080,',
  };
  const o = parseWorkerOptions(
    ['--name', 'flag-name', '--listen', '[::1]:8080', '--idle-timeout', '500ms', '--allow-host', 'a.lan,b.lan:9'],
    env,
    '/cwd',
  );
  assert.deepEqual(o, {
    listen: { host: '::1', port: 8080 },
    idleTimeoutMs: 500,
    shutdownTimeoutMs: 1000,
    app: '/cwd/app.js',
    logFile: '/l/w.log',
    tokenFile: '/cwd/t',
    name: 'flag-name',
    socketName: 'S',
    logLevel: 'warn',
    allowOtherUsers: false,
    allowWebPages: false,
    help: false,
    version: false,
    allowHosts: ['a.lan', 'b.lan:9'],
    allowOrigins: ['http://a.test', 'http://b.test:8080'], // comma lists, trimmed
  });
});

test('an empty variable counts as unset', () => {
  assert.equal(parseWorkerOptions([], { INITSOCK_NAME: '' }).name, 'initsock-worker');
});

test('a non-loopback --listen needs --expose-to-network, and then carries a warning', () => {
  assert.throws(() => parseWorkerOptions(['--listen', '192.168.1.2:80'], {}), { code: 'NOT_LOOPBACK' });
  const o = parseWorkerOptions(['--listen', '192.168.1.2:80', '--expose-to-network'], {});
  assert.match(o.warning ?? '', /not a loopback address/);
});

test('bad values', () => {
  const rows: Array<[string[], NodeJS.ProcessEnv, string, RegExp]> = [
    [['--listen', '127.0.0.1:70000'], {}, 'INVALID_VALUE', /not HOST:PORT/], // port out of range
    [['--listen', 'localhost'], {}, 'INVALID_VALUE', /not HOST:PORT/], // no port
    [['--shutdown-timeout=-1s'], {}, 'INVALID_VALUE', /--shutdown-timeout "-1s" is not a duration/],
    [[], { INITSOCK_SOCKET_NAME: 'a/b' }, 'INVALID_VALUE', /--socket-name "a\/b"/],
    [['--app', ' '], {}, 'INVALID_VALUE', /--app is empty/],
    [['stray'], {}, 'BAD_USAGE', /stray/], // positional arguments are not accepted
    [['--name'], {}, 'BAD_USAGE', /--name/], // missing value
    [['--allow-host', 'a.lan b.lan'], {}, 'INVALID_VALUE', /--allow-host entry "a\.lan b\.lan" has a space/], // not comma-separated
  ];
  for (const [argv, env, code, message] of rows) {
    assert.throws(() => parseWorkerOptions(argv, env), { code, message }, argv.join(' '));
  }
});
