// A worker of one's own on serve(), started by the fallback (--worker): it takes the token and the rotating log file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { LOG_MAX_SIZE } from '../../src/runtime/rotating-file.js';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';
import { httpGet } from '../fixtures/runtime/proc.js';
import { freePort, runClient, sandbox, waitUntil } from './helpers.js';

const entry = join(distDir, 'test', 'fixtures', 'box', 'serve-entry.js');

test("fallback with a serve() entry: the client's token is enforced; its logger and output go to the rotating worker.log", async (t) => {
  const box = sandbox('serve-entry');
  t.after(() => box.cleanup());
  const port = await freePort();
  const run = await runClient(['request', '--port', String(port), '--worker', entry, 'GET', '/console'], box.env);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await httpGet(port, '/data')).status, 401, 'a caller without the token got through');
  const log = box.logFile();
  await waitUntil(
    () => / error \[initsock-worker\] app console\.error line one\n/.test(readFileSync(log, 'utf8')),
    10_000,
    "the app's console.error line in worker.log",
  );
  const spewed = await runClient(
    ['request', '--port', String(port), '--worker', entry, 'GET', '/spew?mib=12'],
    box.env,
  );
  assert.equal(spewed.code, 0, spewed.stderr);
  assert.ok(statSync(`${log}.1`).size > 0, 'worker.log did not rotate');
  assert.ok(statSync(log).size <= LOG_MAX_SIZE && statSync(`${log}.1`).size <= LOG_MAX_SIZE);
  const pid = Number(JSON.parse((await httpGet(port, '/health')).body).pid);
  t.after(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
});
