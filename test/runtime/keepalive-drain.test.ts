// Draining keeps idle keep-alive connections open for a quiet period on the injected clock: a request reusing one
// meanwhile is answered with Connection: close; a connection that stays quiet is closed once the period passed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { once } from 'node:events';
import { test } from 'node:test';
import { KEEPALIVE_QUIET_MS } from '../../src/contract/index.js';
import { createLogger } from '../../src/runtime/logger.js';
import { serve } from '../../src/runtime/serve.js';
import { FakeClock } from '../fixtures/runtime/fake-clock.js';
import { repoRoot } from '../helpers/paths.js';

/** A raw keep-alive connection: send a request, read exactly one response (Content-Length framed). */
function rawConnection(port: number): { socket: Socket; get(path: string): Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let buffer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
  });
  const get = async (path: string): Promise<string> => {
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    for (let i = 0; i < 500; i += 1) {
      const head = buffer.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(buffer)?.[1] ?? -1);
      if (head >= 0 && length >= 0 && buffer.length >= head + 4 + length) {
        const reply = buffer.slice(0, head + 4 + length);
        buffer = buffer.slice(reply.length);
        return reply;
      }
      if (socket.destroyed || socket.readableEnded)
        throw new Error(`connection closed before a response to ${path}: ${buffer}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no response to ${path}`);
  };
  return { socket, get };
}

test('draining: a keep-alive request in the quiet period is answered with Connection: close; quiet ones close after it', async () => {
  const clock = new FakeClock();
  const handle = await serve((_req, res) => res.end('hi'), {
    activation: { kind: 'listen', host: '127.0.0.1', port: 0 },
    clock,
    exit: () => {},
    handleSignals: false,
    handleCrashes: false,
    logger: createLogger({ mode: 'stderr', level: 'error' }),
  });
  const port = (handle.addresses[0] as { port: number }).port;
  const reusing = rawConnection(port);
  const quiet = rawConnection(port);
  assert.match(await reusing.get('/first'), /^HTTP\/1\.1 200/);
  assert.match(await quiet.get('/first'), /^HTTP\/1\.1 200/);
  const reusingClosed = once(reusing.socket, 'close');
  const quietEnded = once(quiet.socket, 'end');
  const closed = handle.close();
  const last = await reusing.get('/second'); // the restart began just before this request reused the connection
  assert.match(last, /^HTTP\/1\.1 200/);
  assert.match(
    last,
    /\r\nconnection: close\r\n/i,
    'the last request on a draining connection must say Connection: close',
  );
  await reusingClosed;
  assert.equal(quiet.socket.destroyed || quiet.socket.readableEnded, false, 'closed before its quiet period passed');
  clock.advance(KEEPALIVE_QUIET_MS);
  await quietEnded;
  await closed;
});

test('the README quotes the quiet period the contract defines', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  assert.ok(
    readme.includes(`quiet for ${KEEPALIVE_QUIET_MS} ms (\`KEEPALIVE_QUIET_MS\``),
    'README keep-alive paragraph',
  );
});
