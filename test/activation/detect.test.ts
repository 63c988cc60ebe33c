// detectActivation picks the source in the contract's order, with env, pid and platform injected; plus the handoff helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectActivation } from '../../src/activation/detect.js';
import { handoffCommand, handoffEnv, handoffSource } from '../../src/activation/handoff.js';

test('--listen wins over everything, even LISTEN_* for us', () => {
  const env: NodeJS.ProcessEnv = { LISTEN_PID: '5', LISTEN_FDS: '1' };
  assert.deepEqual(detectActivation({ listen: { host: '127.0.0.1', port: 1 }, env, pid: 5, platform: 'linux' }), {
    kind: 'listen',
    host: '127.0.0.1',
    port: 1,
  });
  assert.deepEqual(env, {}, 'the variables are removed all the same');
});

test('LISTEN_PID for us without the marker is systemd', () => {
  const env: NodeJS.ProcessEnv = { LISTEN_PID: '5', LISTEN_FDS: '1', LISTEN_FDNAMES: 'w' };
  assert.deepEqual(detectActivation({ env, pid: 5, platform: 'linux' }), {
    kind: 'systemd',
    sockets: [{ fd: 3, name: 'w' }],
  });
  assert.equal(env.LISTEN_PID, undefined);
});

test('LISTEN_PID with INITSOCK_ACTIVATION=handoff is handoff, and the marker is removed', () => {
  const env: NodeJS.ProcessEnv = { LISTEN_PID: '5', LISTEN_FDS: '1', INITSOCK_ACTIVATION: 'handoff' };
  assert.deepEqual(detectActivation({ env, pid: 5, platform: 'linux' }), {
    kind: 'handoff',
    sockets: [{ fd: 3, name: 'unknown' }],
  });
  assert.deepEqual(env, {});
});

test('nothing on linux is NOT_ACTIVATED, with a message that says what to do', () => {
  assert.throws(() => detectActivation({ env: {}, pid: 5, platform: 'linux' }), {
    code: 'NOT_ACTIVATED',
    message: /--listen 127\.0\.0\.1:PORT/,
  });
});

test('a foreign LISTEN_PID on linux is NOT_ACTIVATED naming both pids', () => {
  assert.throws(() => detectActivation({ env: { LISTEN_PID: '6', LISTEN_FDS: '1' }, pid: 5, platform: 'linux' }), {
    code: 'NOT_ACTIVATED',
    message: /LISTEN_PID=6 .*pid 5/,
  });
});

test('on darwin without LISTEN_* it asks launchd (a missing library is FFI_UNAVAILABLE, not a crash)', () => {
  assert.throws(
    () => detectActivation({ env: {}, pid: 5, platform: 'darwin', launchdLibrary: '/nonexistent/lib.dylib' }),
    (err: unknown) => ['FFI_UNAVAILABLE', 'NOT_ACTIVATED'].includes((err as { code?: string }).code ?? ''),
  );
});

test('LISTEN_* errors propagate (NO_SOCKETS)', () => {
  assert.throws(() => detectActivation({ env: { LISTEN_PID: '5', LISTEN_FDS: '0' }, pid: 5, platform: 'linux' }), {
    code: 'NO_SOCKETS',
  });
});

test('handoffEnv marks the env, drops a stale LISTEN_PID, and names the fds', () => {
  const env = handoffEnv({ PATH: '/bin', LISTEN_PID: '1' }, ['a', 'b']);
  assert.deepEqual(env, { PATH: '/bin', LISTEN_FDS: '2', LISTEN_FDNAMES: 'a:b', INITSOCK_ACTIVATION: 'handoff' });
});

test("handoffSource ignores unmarked LISTEN_* (that is systemd's)", () => {
  const env: NodeJS.ProcessEnv = { LISTEN_PID: '5', LISTEN_FDS: '1' };
  assert.equal(handoffSource({ env, pid: 5 }).activate(), null);
  assert.equal(env.LISTEN_PID, '5');
});

test("handoffCommand makes LISTEN_PID the exec'd process's own pid", async () => {
  const { spawn } = await import('node:child_process');
  const [file, args] = handoffCommand(process.execPath, [
    '-e',
    'console.log(process.env.LISTEN_PID === String(process.pid))',
  ]);
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  await new Promise((resolve) => child.on('close', resolve));
  assert.equal(out.trim(), 'true');
});
