// Against a real systemd --user: 20 children (detached, SIGTERM-ignoring, daemonized) never outlive
// their worker, whether it is stopped, exits when idle, or crashes. Checked through /proc inside the box.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { unitLimits } from '../../src/service/systemd/limits.js';
import { CHILD_TAG_VAR, WORKER_TAG_VAR } from '../fixtures/box/app-children.js';
import { boxFixture, pollUntil, runNodeJson, useBox, type Box } from './box/index.js';
import { getJson, tryGetJson } from './box/http.js';
import { installWorker, unitState, workerBuilt, type InstalledWorker } from './box/worker.js';

const boxes = useBox();
const RESTART_DELAY_MS = 100;
const CHILDREN = 20;

const tagged = (box: Box, tag: string): Promise<number[]> =>
  runNodeJson<number[]>(box, boxFixture('tagged-processes'), [CHILD_TAG_VAR, tag]);

/** Installs a children worker tagged `tag`, has it start 20 children, and waits until all 20 run. */
async function workerWithChildren(box: Box, tag: string, idleTimeoutMs = 0): Promise<InstalledWorker> {
  const worker = await installWorker(box, {
    name: `initsock-${tag}`,
    app: boxFixture('app-children'),
    restartDelayMs: RESTART_DELAY_MS,
    idleTimeoutMs,
    shutdownTimeoutMs: 0,
    env: [[WORKER_TAG_VAR, tag]],
  });
  const reply = await getJson(box, worker.port, `/spawn?n=${CHILDREN}`);
  assert.equal((reply.body.children as number[]).length, CHILDREN, 'the worker could not start its children');
  await pollUntil(`${CHILDREN} children tagged ${tag}`, async () =>
    (await tagged(box, tag)).length === CHILDREN ? true : undefined,
  );
  return worker;
}

/** Waits until the service has fully stopped (systemd waits for its cgroup to empty), then expects no child left. */
async function expectNoneLeft(box: Box, worker: InstalledWorker, tag: string): Promise<void> {
  await pollUntil(
    `${worker.service} to stop`,
    async () => {
      const state = await unitState(box, worker.service);
      return state.ActiveState === 'inactive' || state.ActiveState === 'failed' ? true : undefined;
    },
    { timeoutMs: 40_000 },
  );
  assert.deepEqual(await tagged(box, tag), [], `children of ${worker.service} outlived it`);
  assert.equal((await unitState(box, worker.socket)).ActiveState, 'active', 'the socket must keep listening');
}

const scenarios: Record<string, (t: TestContext, box: Box) => Promise<void>> = {
  'systemctl --user stop': async (_t, box) => {
    const worker = await workerWithChildren(box, 'children-stop');
    const stop = await box.systemctlUser('stop', worker.service);
    assert.equal(stop.code, 0, stop.stderr);
    await expectNoneLeft(box, worker, 'children-stop');
  },
  'idle exit': async (_t, box) => {
    const worker = await workerWithChildren(box, 'children-idle', unitLimits(RESTART_DELAY_MS).minIdleTimeoutMs);
    await expectNoneLeft(box, worker, 'children-idle');
  },
  crash: async (_t, box) => {
    const worker = await workerWithChildren(box, 'children-crash');
    const crash = await tryGetJson(box, worker.port, '/crash');
    assert.ok('error' in crash, '/crash should break its connection');
    await pollUntil(
      "the crashed worker's children to be gone",
      async () => ((await tagged(box, 'children-crash')).length === 0 ? true : undefined),
      { timeoutMs: 40_000 },
    );
    await box.systemctlUser('stop', worker.service);
  },
};

test('20 owned children never outlive their worker', { concurrency: true }, async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  // The three cases run at once (each waits out systemd's stop timeout for the SIGTERM-ignoring daemons).
  await Promise.all(Object.entries(scenarios).map(([name, run]) => t.test(`after ${name}`, (st) => run(st, box))));
});
