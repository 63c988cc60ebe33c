// Against a real systemd --user: `systemctl --user restart` under load refuses nothing, drops nothing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { boxFixture, pollUntil, useBox } from './box/index.js';
import { getJson, replyPid } from './box/http.js';
import { startLoadStream } from './box/stream.js';
import { installWorker, unitState, workerBuilt } from './box/worker.js';

const boxes = useBox();

test('restarting the service while clients keep sending refuses no connection and completes the slow request', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  const events = join(box.layout.dir, 'restart-events.log');
  const worker = await installWorker(box, {
    name: 'initsock-restart',
    app: boxFixture('app-lifecycle'),
    env: [['INITSOCK_TEST_EVENTS', events]],
  });
  const before = replyPid(await getJson(box, worker.port, '/health'));

  const stream = startLoadStream(box, worker.port, '/echo', 4);
  const slow = getJson(box, worker.port, '/slow?ms=1500');
  await pollUntil('the slow request to be in flight', () =>
    existsSync(events) && readFileSync(events, 'utf8').includes(`slow-start ${before}`) ? true : undefined,
  );
  await pollUntil('the load stream to be answered', async () => {
    const health = await getJson(box, worker.port, '/health');
    return Number(health.body.requests) > 20 ? true : undefined;
  });

  const restart = await box.systemctlUser('restart', worker.service);
  assert.equal(restart.code, 0, restart.stderr);
  const after = replyPid(await getJson(box, worker.port, '/health'));
  const summary = await stream.stop();
  const slowReply = await slow;

  assert.notEqual(after, before, 'the restart did not replace the worker');
  assert.deepEqual(
    slowReply,
    { status: 200, body: { pid: before, slept: 1500 } },
    'the in-flight request did not complete',
  );
  assert.deepEqual(summary.errors, {}, `requests failed during the restart: ${summary.samples.join('; ')}`);
  assert.deepEqual(Object.keys(summary.statuses), ['200'], `non-200 answers: ${JSON.stringify(summary.statuses)}`);
  assert.ok(
    summary.pids[String(before)] && summary.pids[String(after)],
    `the stream should be answered by both workers: ${JSON.stringify(summary.pids)}`,
  );
  assert.equal((await unitState(box, worker.socket)).ActiveState, 'active');
});
