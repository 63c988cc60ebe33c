// serve() in-process with a fake clock and an injected exit: idle exit stops accepting in the same tick; guard; close().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, get, type IncomingMessage, type ServerResponse } from 'node:http';
import { serve, type ServeHandle, type ServeOptions } from '../../src/runtime/serve.js';
import { createLogger } from '../../src/runtime/logger.js';
import { FakeClock } from '../fixtures/runtime/fake-clock.js';
import { httpGet } from '../fixtures/runtime/proc.js';

const quiet = () => createLogger({ mode: 'stderr', level: 'error' });

async function start(app: (req: IncomingMessage, res: ServerResponse) => void, extra: Partial<ServeOptions> = {}) {
  const clock = new FakeClock();
  const exits: number[] = [];
  const handle = await serve(app, {
    activation: { kind: 'listen', host: '127.0.0.1', port: 0 },
    clock,
    exit: (code) => exits.push(code),
    handleSignals: false,
    handleCrashes: false,
    logger: quiet(),
    idleTimeoutMs: 1000,
    ...extra,
  });
  const port = (handle.addresses[0] as { port: number }).port;
  return { handle, clock, exits, port };
}

/** Resolves once every connection has closed (the tracker is idle again). */
async function settled(handle: ServeHandle): Promise<void> {
  while (handle.stats().connections > 0) await new Promise((r) => setImmediate(r));
}

test('idle exit: the timer waits while a keep-alive connection is open, then stops accepting in the same tick and exits 0', async () => {
  const { handle, clock, exits, port } = await start((_req, res) => res.end('hi'));
  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((resolve) =>
    get({ port, host: '127.0.0.1', agent }, (res) => res.resume().on('end', resolve)),
  );
  assert.equal(handle.stats().connections, 1);
  clock.advance(5000);
  assert.deepEqual(exits, [], 'no idle exit with a connection open');
  agent.destroy();
  await settled(handle);
  clock.advance(999);
  assert.equal(handle.servers[0]!.listening, true);
  clock.advance(1);
  assert.equal(handle.servers[0]!.listening, false, 'the listening handle closed synchronously in the idle tick');
  while (exits.length === 0) await new Promise((r) => setImmediate(r));
  assert.deepEqual(exits, [0]);
});

test('the guard answers when it returns false; the app runs when it returns true', async (t) => {
  const guard = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/blocked') {
      res.statusCode = 403;
      res.end('no');
      return false;
    }
    return true;
  };
  const { handle, port } = await start((_req, res) => res.end('app'), { guard, idleTimeoutMs: 0 });
  t.after(() => handle.close());
  assert.deepEqual([(await httpGet(port, '/blocked')).status, (await httpGet(port, '/blocked')).body], [403, 'no']);
  assert.equal((await httpGet(port, '/ok')).body, 'app');
  assert.equal(handle.stats().requests, 3);
});

test('close() stops accepting, finishes the request in flight with Connection: close, and does not exit', async () => {
  let release: () => void = () => {};
  let arrived: () => void = () => {};
  const inFlight = new Promise<void>((r) => {
    arrived = r;
  });
  const { handle, exits, port } = await start(
    (_req, res) => {
      release = () => res.end('late');
      arrived();
    },
    { idleTimeoutMs: 0 },
  );
  const reply = httpGet(port, '/');
  await inFlight;
  const closed = handle.close();
  assert.equal(handle.servers[0]!.listening, false);
  await assert.rejects(httpGet(port, '/'), { code: 'ECONNREFUSED' });
  release();
  const r = await reply;
  assert.deepEqual([r.body, r.headers.connection], ['late', 'close']);
  await closed;
  assert.deepEqual(exits, []);
});
