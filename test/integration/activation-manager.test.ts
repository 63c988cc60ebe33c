// Against a real systemd --user: 200 concurrent first connections are all answered, all by one worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadSummary } from '../fixtures/box/load-summary.js';
import { boxFixture, runNodeJson, useBox } from './box/index.js';
import { installWorker, unitState, workerBuilt } from './box/worker.js';

const boxes = useBox();

test('200 concurrent first connections wake one worker, which answers them all', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  const worker = await installWorker(box, { name: 'initsock-activation' });
  assert.equal(
    (await unitState(box, worker.service)).ActiveState,
    'inactive',
    'the worker must not run before a connection',
  );

  const load = await runNodeJson<LoadSummary>(box, boxFixture('load'), [
    JSON.stringify({ port: worker.port, path: '/health', mode: 'burst', count: 200 }),
  ]);

  assert.deepEqual(load.errors, {}, `some connections failed: ${load.samples.join('; ')}\n${box.logs()}`);
  assert.deepEqual(load.statuses, { 200: 200 });
  assert.equal(load.pidOrder.length, 1, `answered by several workers: ${JSON.stringify(load.pids)}`);
  const service = await unitState(box, worker.service, 'MainPID', 'NRestarts');
  assert.equal(service.ActiveState, 'active');
  assert.equal(Number(service.MainPID), load.pidOrder[0], 'the answering pid is not the service main pid');
  assert.equal(service.NRestarts, '0');
});

test('the worker reports systemd activation and keeps its inherited socket name', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  const worker = await installWorker(box, { name: 'initsock-health' });
  const reply = await runNodeJson<{ status: number; body: Record<string, unknown> }>(box, boxFixture('get-json'), [
    String(worker.port),
    '/health',
  ]);
  assert.equal(reply.status, 200);
  assert.equal(reply.body.status, 'ok');
  assert.equal(reply.body.activation, 'systemd');
  assert.equal(reply.body.name, 'initsock-health');
  const socket = await unitState(box, worker.socket, 'NAccepted', 'NConnections');
  assert.equal(socket.ActiveState, 'active');
  assert.equal(socket.NAccepted, '0', 'Accept=no: systemd must never accept a connection itself');
});
