// Malformed HTTP against the real worker process: every answer is bounded and well defined, and the worker never crashes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { parseResponse, rawRequest } from './http-helpers.js';
import { startWorker, type WorkerProcess } from './worker-process.js';

let worker: WorkerProcess;
let H: string;
before(async () => {
  worker = await startWorker();
  H = `Host: 127.0.0.1:${worker.port}`;
});
after(async () => {
  assert.ok(worker.alive(), `the worker died during the tests:\n${worker.output()}`);
  assert.equal(await worker.stop(), 0, 'and it still shuts down cleanly');
});

/** Sends bytes, returns the parsed answer; asserts it is short and that the worker closed the connection. */
async function bounded(payload: string | Buffer): Promise<number> {
  const res = await rawRequest(worker.port, payload);
  assert.ok(res.text.length < 2048, `bounded answer (${res.text.length} bytes)`);
  return res.status;
}

test('invalid request lines, lone CR or LF, and smuggling shapes get 400 and a closed connection', async () => {
  const rows: Array<[string | Buffer, string]> = [
    ['GARBAGE\r\n\r\n', 'no target or version'],
    ['GET\r\n\r\n', 'method only'],
    [`GET / HTTP/9.9\r\n${H}\r\n\r\n`, 'unknown version'],
    ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'an HTTP/2 preface'],
    [Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 13, 10, 13, 10]), 'binary junk'],
    [`GET /health HTTP/1.1\r${H}\r\r`, 'lone CRs as line ends'],
    [`GET /health HTTP/1.1\n${H}\n\n`, 'lone LFs as line ends (node is strict)'],
    [`GET /health HTTP/1.1\r\n${H}\r\nX: a\rb\r\n\r\n`, 'a lone CR inside a header value'],
    [`GET /health HTTP/1.1\r\n${H}\r\nX: a\0b\r\n\r\n`, 'NUL in a header value'],
    [`GET /health HTTP/1.1\r\n${H}\r\nX: a\r\n b\r\n\r\n`, 'obsolete line folding'],
    [
      `POST /x HTTP/1.1\r\n${H}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      'CL and TE together',
    ],
    [`POST /x HTTP/1.1\r\n${H}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`, 'two Content-Lengths'],
    [`POST /x HTTP/1.1\r\n${H}\r\nContent-Length: -1\r\n\r\n`, 'negative Content-Length'],
    [`POST /x HTTP/1.1\r\n${H}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`, 'a bad chunk size'],
  ];
  for (const [payload, why] of rows) assert.equal(await bounded(payload), 400, why);
});

test('oversized headers, too many headers and a huge URL get 431', async () => {
  assert.equal(await bounded(`GET / HTTP/1.1\r\n${H}\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`), 431, 'one 20 KB header');
  const many = Array.from({ length: 3000 }, (_, i) => `X${i}: y`).join('\r\n');
  assert.equal(await bounded(`GET /health HTTP/1.1\r\n${H}\r\n${many}\r\n\r\n`), 431, '3000 headers');
  assert.equal(await bounded(`GET /${'a'.repeat(20_000)} HTTP/1.1\r\n${H}\r\n\r\n`), 431, 'a 20 KB URL');
});

test('DNS-rebinding and cross-site requests reach the guard in the real worker', async () => {
  assert.equal(await bounded(`GET /health HTTP/1.1\r\nHost: evil.example:${worker.port}\r\n\r\n`), 403);
  assert.equal(
    await bounded(`POST /x HTTP/1.1\r\n${H}\r\nOrigin: https://evil.example\r\nContent-Length: 0\r\n\r\n`),
    403,
  );
  assert.equal(await bounded(`GET http://evil.example/health HTTP/1.1\r\n${H}\r\n\r\n`), 403);
  assert.equal(await bounded(`GET /health HTTP/1.1\r\n${H}\r\nConnection: close\r\n\r\n`), 200);
  const ws =
    'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==';
  assert.equal(
    await bounded(`GET /ws HTTP/1.1\r\n${H}\r\n${ws}\r\nOrigin: https://evil.example\r\n\r\n`),
    403,
    'with no upgrade listener node hands upgrades to the request guard',
  );
});

test('CONNECT (a proxy tunnel) is closed without an answer, and nothing is tunnelled', async () => {
  const res = await rawRequest(worker.port, 'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n');
  assert.equal(res.text, '');
});

test('a huge declared body is answered without waiting for it (the worker reads no body itself; node discards it)', async () => {
  const socket = connect(worker.port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`POST /upload HTTP/1.1\r\n${H}\r\nContent-Length: 10000000000\r\n\r\n`);
  socket.write(Buffer.alloc(1 << 20, 0x61)); // 1 MB of the declared 10 GB, then we stop sending
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  assert.equal(
    parseResponse(chunk.toString('latin1')).status,
    404,
    'no --app: a short 404 while the upload is still open',
  );
  socket.destroy();
});

/** Opens a connection and sends the start of a request, never finishing it. */
async function slowClient(): Promise<Socket> {
  const s = connect(worker.port, '127.0.0.1');
  await once(s, 'connect');
  s.write(`GET /health HTTP/1.1\r\n${H}\r\nX-Slow: a`);
  return s;
}

test('clients that trickle bytes do not hold up anyone else, and finish normally when they finish', async () => {
  const slow = await Promise.all(Array.from({ length: 100 }, slowClient));
  for (const s of slow) s.write('b'); // one more byte each: still no end of headers
  assert.equal(
    await bounded(`GET /health HTTP/1.1\r\n${H}\r\nConnection: close\r\n\r\n`),
    200,
    'served alongside 100 slow clients',
  );
  const last = slow[0]!;
  last.write('c\r\nConnection: close\r\n\r\n');
  const chunks: Buffer[] = [];
  last.on('data', (c: Buffer) => chunks.push(c));
  await once(last, 'end');
  assert.equal(parseResponse(Buffer.concat(chunks).toString('latin1')).status, 200);
  for (const s of slow) s.destroy();
  assert.ok(worker.alive());
});

test('a pipelined burst of 500 requests on one connection is answered in full, in order', async () => {
  const one = `GET /health HTTP/1.1\r\n${H}\r\n\r\n`;
  const res = await rawRequest(worker.port, one.repeat(499) + one.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
  assert.equal(res.text.match(/HTTP\/1\.1 200 OK\r\n/g)?.length, 500);
});
