// The default worker with --app: a missing route and a failing route are short JSON answers, and the failure is logged at error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';
import { httpGet } from '../fixtures/runtime/proc.js';
import { startWorker } from '../security/worker-process.js';

const router = join(distDir, 'test', 'fixtures', 'runtime', 'app-router.js');

test("--app: 404 and 500 are short JSON without Express's HTML or a stack; the stack goes to the log at error", async (t) => {
  const worker = await startWorker(['--app', router]);
  t.after(() => worker.stop());
  assert.equal((await httpGet(worker.port, '/hello')).body, '{"hello":"router"}');
  const missing = await httpGet(worker.port, '/nope');
  assert.deepEqual([missing.status, JSON.parse(missing.body).error], [404, 'not_found']);
  const failed = await httpGet(worker.port, '/boom');
  assert.equal(failed.status, 500);
  assert.match(String(failed.headers['content-type']), /^application\/json/);
  assert.doesNotMatch(failed.body, /<html|<pre|\/srv\/private|at /i);
  const deadline = Date.now() + 5000; // the logger writes once winston has loaded, shortly after start-up
  while (!/fixture failure/.test(worker.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.match(
    worker.output(),
    / error \[initsock-worker\] GET "\/boom" failed: Error: fixture failure reading \/srv\/private\/db/,
  );
});
