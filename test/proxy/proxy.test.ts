// The proxy worker under systemd-socket-activate: waits for the child's health, streams HTTP, SSE and upgrades, exits with its child.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workerBin } from '../helpers/paths.js';
import { freePort, httpGet, isAlive, startProc, waitAllDead } from '../fixtures/runtime/proc.js';
import { proxied, raw } from './harness.js';

test("the first connection waits for the child's health route, then every request passes through unchanged", async (t) => {
  const { proc, port } = await proxied(t, [], 400);
  const first = await httpGet(port, '/hello?x=1', { 'x-test': 'kept' }); // sent while the child still answers 503
  assert.equal(first.status, 200);
  assert.equal(first.body, 'echo GET /hello?x=1 kept');
  await proc.waitFor(/is ready after \d+ ms; passing 1 waiting request/);
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => httpGet(port, `/n${i}`)));
  assert.deepEqual(
    many.map((r) => r.body),
    many.map((_, i) => `echo GET /n${i} `),
  );
});

test('an SSE stream arrives event by event, and an upgraded connection carries bytes both ways', async (t) => {
  const { port } = await proxied(t);
  const sse = await raw(port, `GET /sse HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  assert.match(sse, /content-type: text\/event-stream/i);
  assert.match(sse, /data: 0\n\n[\s\S]*data: 1\n\n[\s\S]*data: 2\n\n/);
  const ws = await raw(
    port,
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    /\r\n\r\n/,
    'frame-abc',
  );
  assert.match(ws, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.ok(ws.endsWith('\r\n\r\nFRAME-ABC'), `the echoed frame comes back: ${JSON.stringify(ws)}`);
});

test('when the child dies the worker exits non-zero, so the init system starts both again', async (t) => {
  const { proc, port } = await proxied(t);
  const pid = Number((await httpGet(port, '/pid')).body);
  await httpGet(port, '/exit?code=0'); // even a clean exit of the child is a failure of the service
  assert.equal(await proc.exited, 1);
  assert.ok(
    proc.lines.some((l) => /node exited with code 0; exiting 1 so that the init system starts it again/.test(l)),
    proc.lines.join('\n'),
  );
  assert.equal(isAlive(pid), false);
});

test('idle exit stops the child and exits 0', async (t) => {
  const { proc, port } = await proxied(t, ['--idle-timeout', '300ms']);
  const pid = Number((await httpGet(port, '/pid')).body);
  assert.equal(await proc.exited, 0);
  assert.deepEqual(await waitAllDead([pid]), [], 'the child is gone too');
  assert.ok(
    proc.lines.some((l) => l.includes(`daemon ${pid} got SIGTERM`)),
    'the child was asked to stop with SIGTERM',
  );
});

test('with --proxy-idle-path the worker stays while the child says it is still working', async (t) => {
  const { proc, port } = await proxied(t, [
    '--idle-timeout',
    '200ms',
    '--proxy-idle-path',
    '/idle',
    '--log-level',
    'debug',
  ]);
  await httpGet(port, '/busy?on=1');
  await proc.waitFor(/\/idle answered 409: the program is still working/, 2);
  await httpGet(port, '/busy?on=0');
  assert.equal(await proc.exited, 0);
});

test('a child that never becomes healthy makes the worker exit 1 after --proxy-ready-timeout, with the reason', async (t) => {
  const { proc, port } = await proxied(t, [
    '--proxy-ready-timeout',
    '300ms',
    '--proxy-health',
    '/other',
    '--proxy-health-status',
    '204',
  ]);
  await httpGet(port, '/').catch(() => undefined); // the connection that starts it is closed unanswered
  assert.equal(await proc.exited, 1);
  assert.ok(
    proc.lines.some((l) =>
      /did not answer GET \/other on port \d+ with 204 within 300 ms \(last answer: 200\)/.test(l),
    ),
    proc.lines.join('\n'),
  );
});

test('a command that cannot start makes the worker exit 1 at once, naming it', async (t) => {
  const port = await freePort();
  const proc = startProc('systemd-socket-activate', [
    '-l',
    `127.0.0.1:${port}`,
    process.execPath,
    workerBin,
    '--proxy-port',
    '1',
    '--',
    '/nonexistent/daemon',
  ]);
  t.after(() => proc.kill());
  await proc.waitFor(/Listening on/);
  await httpGet(port, '/').catch(() => undefined);
  assert.equal(await proc.exited, 1);
  assert.ok(
    proc.lines.some((l) => /\/nonexistent\/daemon could not start \(spawn \/nonexistent\/daemon ENOENT\)/.test(l)),
    proc.lines.join('\n'),
  );
});
