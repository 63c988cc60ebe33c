// Against a real systemd --user: traffic hovering around the idle timeout re-activates the worker
// again and again; no request is lost and the shipped start/trigger limits never fail the socket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unitLimits } from '../../src/service/systemd/limits.js';
import type { LoadSummary } from '../fixtures/box/load-summary.js';
import { boxFixture, runNodeJson, useBox } from './box/index.js';
import { installWorker, unitState, workerBuilt } from './box/worker.js';

const boxes = useBox();
// The shortest restart delay the renderer accepts gives the shortest idle timeout it allows (limits.ts).
const RESTART_DELAY_MS = 100;
// Pauses relative to the idle timeout: just before it (same worker), right at it (the exit races the next
// connection), and clearly after it (a new worker). +150 and +400 must each start a new worker.
const OFFSETS_MS = [-250, 400, 0, 150, 25, 400];

test('idle churn: every request is answered across many re-activations and the socket never fails', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  const idleTimeoutMs = unitLimits(RESTART_DELAY_MS).minIdleTimeoutMs;
  const worker = await installWorker(box, { name: 'initsock-churn', restartDelayMs: RESTART_DELAY_MS, idleTimeoutMs });
  const gapsMs = OFFSETS_MS.map((offset) => idleTimeoutMs + offset);

  const load = await runNodeJson<LoadSummary>(
    box,
    boxFixture('load'),
    [JSON.stringify({ port: worker.port, path: '/health', mode: 'paced', gapsMs, perStep: 5 })],
    { timeoutMs: 120_000 },
  );

  t.diagnostic(`idle timeout ${idleTimeoutMs} ms: ${load.pidOrder.length} workers answered ${load.ok} requests`);
  assert.deepEqual(load.errors, {}, `requests were lost: ${JSON.stringify(load)}\n${box.logs(30)}`);
  assert.deepEqual(load.statuses, { 200: 5 * (gapsMs.length + 1) });
  assert.ok(load.pidOrder.length >= 3, `expected at least 3 workers (2 re-activations), saw ${load.pidOrder.length}`);
  // A socket that fails stays failed (and refuses) until someone resets it, so checking at the end covers the run.
  const socket = await unitState(box, worker.socket, 'NRefused');
  assert.equal(socket.ActiveState, 'active', `the socket failed under idle churn: ${JSON.stringify(socket)}`);
  assert.equal(socket.Result, 'success');
  assert.equal(socket.NRefused, '0');
  const service = await unitState(box, worker.service);
  assert.notEqual(service.ActiveState, 'failed', `the service failed under idle churn: ${JSON.stringify(service)}`);
  assert.notEqual(service.Result, 'start-limit-hit');
});

test("control: the same churn with an idle timeout below the renderer's minimum fails the socket", async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  // The renderer refuses such a timeout (assertIdleTimeout); a later --idle-timeout flag overrides the rendered one.
  const worker = await installWorker(box, {
    name: 'initsock-churn-too-fast',
    restartDelayMs: RESTART_DELAY_MS,
    idleTimeoutMs: 0,
    extraArgs: ['--idle-timeout', '200ms'],
  });
  const load = await runNodeJson<LoadSummary>(
    box,
    boxFixture('load'),
    [JSON.stringify({ port: worker.port, path: '/health', mode: 'paced', gapsMs: Array(10).fill(400), perStep: 1 })],
    { timeoutMs: 60_000 },
  );
  const socket = await unitState(box, worker.socket);
  assert.equal(socket.ActiveState, 'failed', `expected the start limit to fail the socket: ${JSON.stringify(load)}`);
  assert.equal(socket.Result, 'service-start-limit-hit');
  assert.ok((load.errors.ECONNREFUSED ?? 0) > 0, 'a failed socket should refuse connections');
  await box.systemctlUser('reset-failed', worker.socket, worker.service);
});
