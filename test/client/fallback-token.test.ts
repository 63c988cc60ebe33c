// Fallback mode is guarded: the client creates the service's token (0600 in a 0700 folder), the worker requires it, the client sends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { httpGet } from '../fixtures/runtime/proc.js';
import { freePort, runClient, sandbox, startedPids } from './helpers.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

test('the first fallback call creates the token, starts the worker with it and sends it; a caller without it gets 401', async (t) => {
  const box = sandbox('token');
  t.after(() => box.cleanup());
  const port = await freePort();
  const run = await runClient(['request', '--port', String(port), '--timeout', '30s', 'GET', '/whoami'], box.env);
  assert.equal(run.code, 0, run.stderr);
  const tokenFile = join(box.home, '.config', 'initsock', 'initsock-worker', 'token');
  const token = readFileSync(tokenFile, 'utf8').trim();
  assert.deepEqual([mode(tokenFile), mode(join(tokenFile, '..'))], ['600', '700']);
  assert.equal((JSON.parse(run.stdout) as { authorization: string }).authorization, `Bearer ${token}`);
  const anonymous = await httpGet(port, '/whoami');
  assert.equal(anonymous.status, 401, anonymous.body);
  assert.equal((await httpGet(port, '/health')).status, 200, '/health stays open for probes');
  const again = await runClient(['request', '--port', String(port), 'GET', '/whoami'], box.env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readFileSync(tokenFile, 'utf8').trim(), token, 'the token is kept across calls');
  assert.equal(startedPids(box.events).length, 1);
});

test('a token folder others can write is refused: no token is written, no worker starts, the port stays free', async (t) => {
  const box = sandbox('unsafe');
  t.after(() => box.cleanup());
  const port = await freePort();
  const dir = join(box.home, '.config', 'initsock');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  const run = await runClient(['request', '--port', String(port), '--timeout', '10s', 'GET', '/whoami'], box.env);
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /refusing|unsafe|writable/i);
  assert.deepEqual(startedPids(box.events), []);
  await assert.rejects(httpGet(port, '/health'), { code: 'ECONNREFUSED' });
});
