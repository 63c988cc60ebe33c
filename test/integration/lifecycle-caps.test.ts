// Against a real systemd --user: the rendered TasksMax= caps a worker that forks without bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxFixture, pidsCgroupMode, runNodeJson, useBox } from './box/index.js';
import { getJson } from './box/http.js';
import { installWorker, unitState, workerBuilt } from './box/worker.js';

// The box needs a pids controller: on hosts that bind it to cgroup v1, the box boots in hybrid mode.
const mode = pidsCgroupMode();
const boxes = useBox({ cgroups: mode ?? 'unified' });
const TASKS_MAX = 40;
const ATTEMPTS = 150;
// The worker and every process it forks carry this variable, so leftovers can be found in /proc.
const TAG = ['INITSOCK_TEST_FORKBOMB', String(process.pid)] as const;

test('TasksMax caps a fork bomb: the worker gets EAGAIN, stays up, and stop removes every process', async (t) => {
  if (!mode) return t.skip('this host has no pids cgroup controller (neither in cgroup2 nor in cgroup v1)');
  const box = boxes.get(t);
  if (!box) return;
  if (!workerBuilt()) return t.skip('dist/src/bin/worker.js is not built yet (npm run build)');
  const worker = await installWorker(box, {
    name: 'initsock-forkbomb',
    app: boxFixture('app-forkbomb'),
    tasksMax: TASKS_MAX,
    env: [[TAG[0], TAG[1]]],
  });

  const bomb = await getJson(box, worker.port, `/fork?n=${ATTEMPTS}`);
  assert.equal(bomb.status, 200);
  const started = bomb.body.started as number;
  const errors = bomb.body.errors as Record<string, number>;
  t.diagnostic(`cgroup mode ${mode}: ${started} of ${ATTEMPTS} processes started under TasksMax=${TASKS_MAX}`);
  assert.ok(started < TASKS_MAX, `${started} processes started: TasksMax=${TASKS_MAX} did not hold`);
  assert.ok((errors.EAGAIN ?? 0) > 0, `expected EAGAIN from fork, got ${JSON.stringify(errors)}`);

  const service = await unitState(box, worker.service, 'TasksCurrent', 'TasksMax');
  assert.equal(service.TasksMax, String(TASKS_MAX));
  assert.ok(Number(service.TasksCurrent) <= TASKS_MAX, `TasksCurrent ${service.TasksCurrent} is over the cap`);
  assert.equal((await getJson(box, worker.port, '/health')).status, 200, 'the capped worker stopped answering');

  const running = await runNodeJson<number[]>(box, boxFixture('tagged-processes'), [...TAG]);
  assert.ok(running.length > started, `expected the worker and its ${started} processes, found ${running.length}`);
  const stop = await box.systemctlUser('stop', worker.service);
  assert.equal(stop.code, 0, stop.stderr);
  const after = await unitState(box, worker.service, 'TasksCurrent');
  assert.equal(after.ActiveState, 'inactive');
  const left = await runNodeJson<number[]>(box, boxFixture('tagged-processes'), [...TAG]);
  assert.deepEqual(left, [], 'processes of the capped worker outlived systemctl stop');
});
