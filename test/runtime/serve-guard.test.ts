// serve() is guarded by default (Host, Origin, the token of --token-file / INITSOCK_TOKEN_FILE) and opting out is explicit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serve, type ServeOptions } from '../../src/runtime/serve.js';
import { ensureToken } from '../../src/security/token.js';
import { scratchDir } from '../helpers/paths.js';
import { httpGet } from '../fixtures/runtime/proc.js';
import { captureLogger } from '../fixtures/runtime/capture-logger.js';
import { FakeClock } from '../fixtures/runtime/fake-clock.js';

const app = (_req: IncomingMessage, res: ServerResponse) => {
  res.end('secret');
};

async function start(t: { after(fn: () => unknown): void }, extra: Partial<ServeOptions> = {}) {
  const logger = captureLogger();
  const handle = await serve(app, {
    activation: { kind: 'listen', host: '127.0.0.1', port: 0 },
    exit: () => {},
    handleSignals: false,
    handleCrashes: false,
    logger,
    argv: [],
    env: {},
    ...extra,
  });
  t.after(() => handle.close());
  return { handle, logger, port: (handle.addresses[0] as { port: number }).port };
}

function tokenFile(): { path: string; token: string } {
  const path = join(scratchDir('serve-token'), 'initsock', 'w', 'token');
  return { path, token: ensureToken(path).token };
}

test('by default a foreign Host and a foreign Origin are refused with 403 before the app runs', async (t) => {
  const { port, logger } = await start(t);
  assert.equal((await httpGet(port, '/', { host: 'evil.example' })).status, 403);
  assert.equal((await httpGet(port, '/', { origin: 'https://evil.example' })).status, 403);
  const ok = await httpGet(port, '/');
  assert.deepEqual([ok.status, ok.body], [200, 'secret']);
  assert.equal(logger.lines.filter(([level, m]) => level === 'warn' && /initsock guard: refused/.test(m)).length, 2);
});

test('--token-file from the flags install-service passes: every route but /health needs the bearer token', async (t) => {
  const { path, token } = tokenFile();
  const { port } = await start(t, { argv: ['--idle-timeout', '0', '--token-file', path, '--name', 'w', '--own-flag'] });
  assert.equal((await httpGet(port, '/')).status, 401);
  assert.equal((await httpGet(port, '/', { authorization: 'Bearer wrong-token-wrong-token-wrong-token' })).status, 401);
  assert.equal((await httpGet(port, '/', { authorization: `Bearer ${token}` })).body, 'secret');
  assert.equal((await httpGet(port, '/health')).status, 200);
});

test("INITSOCK_TOKEN_FILE names the token when no flag does; the code's own token option wins over both", async (t) => {
  const { path, token } = tokenFile();
  const fromEnv = await start(t, { env: { INITSOCK_TOKEN_FILE: path } });
  assert.equal((await httpGet(fromEnv.port, '/')).status, 401);
  assert.equal((await httpGet(fromEnv.port, '/', { authorization: `Bearer ${token}` })).status, 200);
  const own = 'x'.repeat(40);
  const fromCode = await start(t, { env: { INITSOCK_TOKEN_FILE: path }, token: own });
  assert.equal((await httpGet(fromCode.port, '/', { authorization: `Bearer ${token}` })).status, 401);
  assert.equal((await httpGet(fromCode.port, '/', { authorization: `Bearer ${own}` })).status, 200);
});

test('a token file others can read is refused at start-up instead of serving unguarded', async () => {
  const { path } = tokenFile();
  chmodSync(path, 0o644);
  await assert.rejects(
    serve(app, {
      activation: { kind: 'listen', host: '127.0.0.1', port: 0 },
      argv: ['--token-file', path],
      env: {},
      logger: captureLogger(),
      exit: () => {},
      handleSignals: false,
      handleCrashes: false,
    }),
    { code: 'UNSAFE_PATH' },
  );
});

test('guard: false opts out explicitly, and the worker says so in its log', async (t) => {
  const { port, logger } = await start(t, { guard: false });
  assert.equal((await httpGet(port, '/', { host: 'evil.example' })).body, 'secret');
  assert.ok(
    logger.lines.some(([level, m]) => level === 'warn' && /without a request guard/.test(m)),
    JSON.stringify(logger.lines),
  );
});

test("the flags set the idle timeout, shutdown timeout and name; the code's own options win where given", async (t) => {
  const exits: number[] = [];
  const clock = new FakeClock();
  const { port } = await start(t, {
    argv: ['--idle-timeout', '2s', '--name', 'from-flag'],
    clock,
    exit: (c) => exits.push(c),
  });
  assert.equal(JSON.parse((await httpGet(port, '/health')).body).name, 'from-flag');
  clock.advance(1999);
  assert.deepEqual(exits, []);
  clock.advance(1);
  while (exits.length === 0) await new Promise((r) => setImmediate(r));
  assert.deepEqual(exits, [0]);
  const own = await start(t, {
    argv: ['--idle-timeout', '2s', '--name', 'from-flag'],
    name: 'from-code',
    idleTimeoutMs: 0,
  });
  assert.equal(JSON.parse((await httpGet(own.port, '/health')).body).name, 'from-code');
});

test('a bad value of one of those flags fails serve() with INVALID_VALUE naming the flag', async () => {
  await assert.rejects(
    serve(app, {
      activation: { kind: 'listen', host: '127.0.0.1', port: 0 },
      argv: ['--idle-timeout', 'soon'],
      env: {},
      logger: captureLogger(),
      exit: () => {},
      handleSignals: false,
      handleCrashes: false,
    }),
    (err: Error & { code?: string }) => err.code === 'INVALID_VALUE' && /--idle-timeout/.test(err.message),
  );
});
