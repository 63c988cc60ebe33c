// serve() answers GET /health unless the app does, answers 404 and route errors as short JSON (no stack), and logs each request at http.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { serve, type App } from '../../src/runtime/serve.js';
import { httpGet } from '../fixtures/runtime/proc.js';
import { captureLogger } from '../fixtures/runtime/capture-logger.js';

async function start(t: { after(fn: () => unknown): void }, app: App, extra: { health?: boolean; name?: string } = {}) {
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
  return { logger, port: (handle.addresses[0] as { port: number }).port };
}

function expressApp() {
  const app = express();
  app.get('/hello', (_req, res) => {
    res.json({ hi: true });
  });
  app.get('/boom', () => {
    throw new Error('database at /srv/secret/db.sqlite is gone');
  });
  return app;
}

test('an Express app without /health gets the documented /health body; without a token it needs none', async (t) => {
  const { port } = await start(t, expressApp(), { name: 'mine' });
  const health = await httpGet(port, '/health');
  assert.equal(health.status, 200);
  const body = JSON.parse(health.body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), [
    'activation',
    'name',
    'pid',
    'requests',
    'status',
    'uptimeMs',
    'version',
  ]);
  assert.deepEqual([body.status, body.name, body.activation, body.pid], ['ok', 'mine', 'listen', process.pid]);
  assert.equal((await httpGet(port, '/hello')).body, '{"hi":true}');
});

test('an app that defines /health answers it itself', async (t) => {
  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', mine: true });
  });
  const { port } = await start(t, app);
  assert.deepEqual(JSON.parse((await httpGet(port, '/health')).body), { status: 'ok', mine: true });
});

test('a plain handler gets /health from serve(), unless it passes health: false', async (t) => {
  const plain = (_req: IncomingMessage, res: ServerResponse) => {
    res.end('plain');
  };
  const { port } = await start(t, plain);
  assert.equal(JSON.parse((await httpGet(port, '/health')).body).status, 'ok');
  const own = await start(t, plain, { health: false });
  assert.equal((await httpGet(own.port, '/health')).body, 'plain');
});

test("a missing route is a short JSON 404, not Express's HTML page", async (t) => {
  const { port } = await start(t, expressApp());
  const reply = await httpGet(port, '/nope?x=1');
  assert.equal(reply.status, 404);
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  assert.deepEqual(JSON.parse(reply.body), { error: 'not_found', message: 'no route GET "/nope"' });
});

test('a route that throws: 500 with short JSON and no stack or path for the client; the stack is logged at error', async (t) => {
  const { port, logger } = await start(t, expressApp());
  const reply = await httpGet(port, '/boom');
  assert.equal(reply.status, 500);
  assert.deepEqual(JSON.parse(reply.body), {
    error: 'internal_error',
    message: 'the worker failed to answer GET "/boom"; its log has the details',
  });
  assert.doesNotMatch(reply.body, /secret|at |\.js/);
  const errors = logger.lines.filter(([level]) => level === 'error').map(([, m]) => m);
  assert.equal(errors.length, 1, JSON.stringify(logger.lines));
  assert.match(errors[0]!, /^GET "\/boom" failed: Error: database at \/srv\/secret\/db\.sqlite is gone\n\s+at /);
});

test('a plain handler that throws is answered 500 the same way instead of crashing the worker', async (t) => {
  const { port, logger } = await start(t, () => {
    throw new Error('plain failure');
  });
  assert.equal((await httpGet(port, '/x')).status, 500);
  assert.ok(logger.lines.some(([level, m]) => level === 'error' && /plain failure/.test(m)));
});

test('one line per request at the http level: method, path without the query, status and duration', async (t) => {
  const { port, logger } = await start(t, expressApp());
  await httpGet(port, '/hello?token=abc');
  await httpGet(port, '/health');
  await httpGet(port, '/', { host: 'evil.example' });
  while (logger.lines.filter(([level]) => level === 'http').length < 3) await new Promise((r) => setImmediate(r));
  const http = logger.lines.filter(([level]) => level === 'http').map(([, m]) => m.replace(/[\d.]+ ms/, 'N ms'));
  assert.deepEqual(http, ['GET "/hello" 200 N ms', 'GET "/health" 200 N ms', 'GET "/" 403 N ms']);
});
