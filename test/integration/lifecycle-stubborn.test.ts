// Against a real systemd --user: a child that ignores SIGTERM (started with plain child_process.spawn) never keeps
// the next connection waiting. After idle exit or a crash, a request sent while the old worker is gone is answered
// by the hook client within its own default timeout, and the leftover is dead before the new worker runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unitLimits } from '../../src/service/systemd/limits.js';
import { STUBBORN_TAG_VAR, WORKER_TAG_VAR } from '../fixtures/box/app-stubborn.js';
import { initsockBin } from '../helpers/paths.js';
import { boxFixture, getJson, pollUntil, replyPid, runNodeJson, tryGetJson, useBox, type Box } from './box/index.js';
import { installWorker, removeWorker, unitProps, workerBuilt, type InstalledWorker } from './box/index.js';

const boxes = useBox();
const RESTART_DELAY_MS = 100;

const leftovers = (box: Box, tag: string): Promise<number[]> =>
  runNodeJson<number[]>(box, boxFixture('tagged-processes'), [STUBBORN_TAG_VAR, tag]);

/** Installs a stubborn-app worker and has it start one SIGTERM-ignoring child; resolves with the worker's pid. */
async function workerWithStubbornChild(box: Box, tag: string, idleTimeoutMs = 0): Promise<[InstalledWorker, number]> {
  const worker = await installWorker(box, {
    name: `initsock-${tag}`,
    app: boxFixture('app-stubborn'),
    restartDelayMs: RESTART_DELAY_MS,
    idleTimeoutMs,
    env: [[WORKER_TAG_VAR, tag]],
  });
  const reply = await getJson(box, worker.port, '/stubborn');
  assert.equal(typeof reply.body.child, 'number', 'the app could not start its child');
  await pollUntil(`the stubborn child of ${tag}`, async () =>
    (await leftovers(box, tag)).length === 1 ? true : undefined,
  );
  return [worker, replyPid(reply)];
}

/** One request through the hook client, with its default timeout; resolves with its exit code and reply. */
async function hookRequest(
  box: Box,
  worker: InstalledWorker,
): Promise<{ code: number; body: Record<string, unknown> | null; stderr: string }> {
  const r = await box.exec(
    [process.execPath, initsockBin, 'request', '--port', String(worker.port), '--name', worker.name, 'GET', '/after'],
    { env: { HOME: box.home }, timeoutMs: 60_000 },
  );
  return {
    code: r.code,
    body: r.code === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : null,
    stderr: r.stderr,
  };
}

/** The request sent once the old worker is gone is answered by a new one, which found no leftover when it started. */
async function expectAnsweredAfterLeftoverDied(
  box: Box,
  worker: InstalledWorker,
  tag: string,
  oldPid: number,
): Promise<void> {
  const reply = await hookRequest(box, worker);
  assert.equal(reply.code, 0, `the request sent while the old worker stopped failed: ${reply.stderr}\n${box.logs(20)}`);
  assert.notEqual(reply.body!.pid, oldPid, 'answered by the old worker');
  assert.deepEqual(
    reply.body!.leftoversAtStart,
    [],
    'the new worker started while the SIGTERM-ignoring child still ran',
  );
  assert.deepEqual(await leftovers(box, tag), [], 'the SIGTERM-ignoring child outlived its worker');
}

test('a SIGTERM-ignoring child does not hold up the next activation', { concurrency: true }, async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  await Promise.all([
    t.test('after idle exit', async () => {
      const tag = 'stubborn-idle';
      const [worker, oldPid] = await workerWithStubbornChild(box, tag, unitLimits(RESTART_DELAY_MS).minIdleTimeoutMs);
      // The old worker exits on its own; the request goes out as soon as its main process is gone.
      await pollUntil(
        'the idle worker to exit',
        async () => ((await unitProps(box, worker.service, 'MainPID')).MainPID !== String(oldPid) ? true : undefined),
        { timeoutMs: 60_000 },
      );
      await expectAnsweredAfterLeftoverDied(box, worker, tag, oldPid);
      await removeWorker(box, worker);
    }),
    t.test('after a crash', async () => {
      const tag = 'stubborn-crash';
      const [worker, oldPid] = await workerWithStubbornChild(box, tag);
      // The crash breaks its connection when the worker exits; RestartSec= has not passed yet, so the next request
      // is sent before any new worker can start.
      assert.ok('error' in (await tryGetJson(box, worker.port, '/crash')), '/crash should break its connection');
      await expectAnsweredAfterLeftoverDied(box, worker, tag, oldPid);
      await removeWorker(box, worker);
    }),
  ]);
});
