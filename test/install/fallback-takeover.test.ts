// install-service recognises the hook client's fallback worker as initsock's own: named as such, and replaced without --takeover.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fallbackWorkerName } from '../../src/service/fallback-worker.js';
import { isAlive, runClient, sandbox, startedPids, waitUntil } from '../client/helpers.js';
import { freePort, Harness } from './harness.js';

test("a fallback worker on the port is named as initsock's own and taken over without --takeover", async (t) => {
  const sb = sandbox('fallback-takeover');
  const h = new Harness();
  t.after(async () => {
    await h.fake.close();
    h.cleanup();
    sb.cleanup();
  });
  const port = String(await freePort());
  const started = await runClient(['request', '--name', 'hw', '--port', port, 'GET', '/health'], sb.env);
  assert.equal(started.code, 0, started.stderr);
  const [pid] = startedPids(sb.events);
  assert.ok(pid !== undefined && isAlive(pid));
  assert.equal(fallbackWorkerName(pid), 'hw');
  assert.equal(fallbackWorkerName(process.pid), null, 'a process that is no fallback worker');

  const dry = await h.cli(['--dry-run', '--port', port]);
  assert.equal(dry.code, 0, dry.err);
  assert.match(
    dry.out,
    new RegExp(
      `stop pid ${pid} .*# initsock's own fallback worker \\(initsock's own fallback worker for "hw", pid ${pid}`,
    ),
  );
  const r = await h.cli(['--port', port]);
  assert.equal(r.code, 0, r.err);
  await waitUntil(() => !isAlive(pid), 5000, 'the fallback worker to exit');
  assert.equal(h.fake.listening, `127.0.0.1:${port}`, 'the service listens where the fallback worker did');
});
