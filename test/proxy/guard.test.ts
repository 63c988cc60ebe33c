// The proxy's Host/Origin check under systemd-socket-activate: web pages are refused before the child sees them; streams still pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import { httpGet } from '../fixtures/runtime/proc.js';
import { proxied, raw } from './harness.js';

/** The request targets the child was sent (it does not count /seen and /health). */
const seen = async (port: number): Promise<string[]> => JSON.parse((await httpGet(port, '/seen')).body) as string[];

test('a foreign Host gets 403 (and a missing one 400) before the child sees the request', async (t) => {
  const { proc, port } = await proxied(t);
  const rebound = await httpGet(port, '/secret', { host: `evil.example:${port}` });
  assert.equal(rebound.status, 403);
  assert.match(rebound.body, /DNS rebinding protection/);
  assert.equal(
    (await httpGet(port, '/secret', { host: '127.0.0.1:1' })).status,
    403,
    'the loopback name with another port',
  );
  assert.match(await raw(port, 'GET /secret HTTP/1.1\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 400 /);
  assert.deepEqual(await seen(port), []);
  await proc.waitFor(/initsock guard: refused GET "\/secret" with 403/);
});

test('a foreign Origin or a cross-site fetch gets 403; the child never sees it', async (t) => {
  const { port } = await proxied(t);
  assert.equal((await httpGet(port, '/secret', { origin: 'https://evil.example' }, 'POST')).status, 403);
  assert.equal((await httpGet(port, '/secret', { 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.deepEqual(await seen(port), []);
  const own = await httpGet(port, '/mine', { origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin' });
  assert.equal(own.status, 200, 'the served origin passes');
});

test('loopback Hosts with the served port pass, headers and bodies through unchanged', async (t) => {
  const { port } = await proxied(t);
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
    assert.equal((await httpGet(port, '/hello', { host, 'x-test': 'kept' })).body, 'echo GET /hello kept', host);
  }
  const body = 'x'.repeat(200_000);
  const posted = await raw(
    port,
    `POST /body HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
  assert.match(
    posted,
    /POST 200000 bytes, host 127\.0\.0\.1:\d+$/,
    "the body streams through and the child sees the client's Host",
  );
  assert.deepEqual(await seen(port), ['/hello', '/hello', '/hello', '/body']);
});

test('an SSE event reaches the client while the stream is still open', async (t) => {
  const { port } = await proxied(t);
  const socket = connect(port, '127.0.0.1');
  let got = '';
  let first: () => void = () => {};
  const firstSeen = new Promise<void>((resolve) => {
    first = resolve;
  });
  socket.setEncoding('utf8').on('data', (d: string) => {
    got += d;
    if (got.includes('data: first\n\n')) first();
  });
  socket.write(`GET /sse-held HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  await firstSeen;
  assert.match(got, /content-type: text\/event-stream/i);
  assert.doesNotMatch(got, /second/, 'the second event is only sent once released');
  const closed = once(socket, 'close'); // before the release: the stream may end and close at once
  assert.equal((await httpGet(port, '/release')).body, 'true');
  await closed;
  assert.match(got, /data: first\n\n[\s\S]*data: second\n\n/);
});

test('a WebSocket upgrade passes with the served Host, and one from a foreign page is refused unseen', async (t) => {
  const { port } = await proxied(t);
  const ok = await raw(
    port,
    `GET /ws HTTP/1.1\r\nHost: localhost:${port}\r\nOrigin: http://localhost:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    /\r\n\r\n/,
    'ping',
  );
  assert.match(ok, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.ok(ok.endsWith('\r\n\r\nPING'), JSON.stringify(ok));
  const foreign = await raw(
    port,
    `GET /ws-evil HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: https://evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
  );
  assert.match(foreign, /^HTTP\/1\.1 403 /);
  assert.deepEqual(await seen(port), ['/ws']);
});

test('--allow-host adds a name; --allow-web-pages lets every Host and Origin through and says so', async (t) => {
  const listed = await proxied(t, ['--allow-host', 'mybox.lan']);
  assert.equal((await httpGet(listed.port, '/a', { host: `mybox.lan:${listed.port}` })).status, 200);
  assert.equal((await httpGet(listed.port, '/a', { host: `evil.example:${listed.port}` })).status, 403);
  const open = await proxied(t, ['--allow-web-pages']);
  const r = await httpGet(open.port, '/b', { host: 'evil.example', origin: 'https://evil.example' });
  assert.equal(r.status, 200);
  assert.deepEqual(await seen(open.port), ['/b']);
  await open.proc.waitFor(/without its Host\/Origin check \(--allow-web-pages\): web pages/);
  assert.ok(
    open.proc.lines.some((l) => /\(systemd activation, unguarded\)/.test(l)),
    open.proc.lines.join('\n'),
  );
});

test('every request of a keep-alive connection is checked: a foreign Host on the second is refused and closes it', async (t) => {
  const { port } = await proxied(t);
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `GET /one HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\nGET /two HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`,
  );
  let got = '';
  socket.setEncoding('utf8').on('data', (d: string) => {
    got += d;
  });
  await once(socket, 'close');
  assert.match(
    got,
    /^HTTP\/1\.1 200 [\s\S]*echo GET \/one [\s\S]*HTTP\/1\.1 403 /,
    'each request of the connection is checked',
  );
  assert.deepEqual(await seen(port), ['/one']);
});
