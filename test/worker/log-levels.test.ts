// --log-level http and debug print more than info: a line per request at http, connection and idle changes at debug.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpGet } from '../fixtures/runtime/proc.js';
import { startWorker } from '../security/worker-process.js';

/** Sends two requests, stops the worker (which flushes its log), and returns everything it printed. */
async function output(level: string): Promise<string> {
  const worker = await startWorker(['--log-level', level, '--idle-timeout', '10min']);
  await httpGet(worker.port, '/health');
  await httpGet(worker.port, '/nope?secret=1');
  await worker.stop();
  return worker.output();
}

test('info: no request or connection lines', async () => {
  const out = await output('info');
  assert.doesNotMatch(out, / http \[| debug \[/);
});

test('http: one line per request (no query string); debug adds connection and idle-timer lines', async () => {
  const http = await output('http');
  assert.match(http, / http \[initsock-worker\] GET "\/health" 200 [\d.]+ ms/);
  assert.match(http, / http \[initsock-worker\] GET "\/nope" 404 [\d.]+ ms/);
  assert.doesNotMatch(http, /secret=1/);
  assert.doesNotMatch(http, / debug \[/);
  const debug = await output('debug');
  assert.match(debug, / debug \[initsock-worker\] a connection is open: no idle exit while it lasts/);
  assert.match(debug, / debug \[initsock-worker\] no open connection: idle exit in 600000 ms unless one arrives/);
});
