// Against a real systemd --user: crashed workers are re-activated; a start-up crash loop is throttled.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { unitLimits } from '../../src/service/systemd/limits.js';
import { boxFixture, pollUntil, useBox } from './box/index.js';
import { getJson, replyPid, tryGetJson } from './box/http.js';
import { installWorker, unitState, workerBuilt } from './box/worker.js';

const boxes = useBox();
const RESTART_DELAY_MS = 100;
const lineCount = (path: string): number =>
  existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').length : 0;

test('a worker that crashes (uncaught exception, then SIGKILL) is started again by the next connection', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  const worker = await installWorker(box, {
    name: 'initsock-crash',
    app: boxFixture('app-lifecycle'),
    restartDelayMs: RESTART_DELAY_MS,
  });
  const first = replyPid(await getJson(box, worker.port, '/health'));

  const crash = await tryGetJson(box, worker.port, '/crash');
  assert.ok('error' in crash, `/crash should break its connection, got ${JSON.stringify(crash)}`);
  const second = await getJson(box, worker.port, '/hello');
  assert.equal(second.status, 200);
  assert.notEqual(replyPid(second), first, 'the crashed worker still answers');

  const kill = await box.systemctlUser('kill', '--signal=SIGKILL', worker.service);
  assert.equal(kill.code, 0, kill.stderr);
  const third = await getJson(box, worker.port, '/health');
  assert.equal(third.status, 200);
  assert.notEqual(replyPid(third), replyPid(second), 'the SIGKILLed worker still answers');

  const socket = await unitState(box, worker.socket);
  assert.equal(socket.ActiveState, 'active', `the socket left the active state: ${JSON.stringify(socket)}`);
});

test('a worker that crashes at start-up every time is throttled: the socket fails instead of looping', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  const events = join(box.layout.dir, 'crash-loop-starts.log');
  const worker = await installWorker(box, {
    name: 'initsock-crashloop',
    app: boxFixture('app-crash-at-start'),
    restartDelayMs: RESTART_DELAY_MS,
    env: [['INITSOCK_TEST_EVENTS', events]],
  });

  const first = await tryGetJson(box, worker.port, '/work');
  assert.ok('error' in first || first.status !== 200, 'a worker that crashes at start-up answered a request');
  const socket = await pollUntil(
    'the crash-looping socket to fail',
    async () => {
      const state = await unitState(box, worker.socket);
      return state.ActiveState === 'failed' ? state : undefined;
    },
    { timeoutMs: 30_000, describe: () => box.logs(15) },
  );

  const starts = lineCount(events);
  const service = await unitState(box, worker.service);
  t.diagnostic(`socket ${socket.Result}, service ${service.Result}, after ${starts} starts`);
  // limits.ts: the start limit (not the trigger limit) is what stops a start-up crash loop.
  assert.equal(socket.Result, 'service-start-limit-hit');
  assert.equal(service.ActiveState, 'failed', 'the crash-looping service should be left failed, not restarting');
  const { startLimitBurst } = unitLimits(RESTART_DELAY_MS);
  assert.equal(starts, startLimitBurst, `expected exactly StartLimitBurst=${startLimitBurst} starts`);
  const refused = await tryGetJson(box, worker.port, '/health');
  assert.match('error' in refused ? refused.error : 'answered', /ECONNREFUSED/, 'a failed socket must free the port');
  assert.equal(lineCount(events), starts, 'the worker was started again after the socket failed');

  const repair = await box.systemctlUser('reset-failed', worker.socket, worker.service);
  assert.equal(repair.code, 0, repair.stderr);
  assert.equal((await box.systemctlUser('start', worker.socket)).code, 0);
  assert.equal(
    (await unitState(box, worker.socket)).ActiveState,
    'active',
    'reset-failed + start did not restore the socket',
  );
  await box.systemctlUser('stop', worker.socket, worker.service);
});
