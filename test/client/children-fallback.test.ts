// Fallback mode has no cgroup: a worker the client started must itself stop its children on idle exit and on SIGTERM,
// owned ones and, through the subreaper, those that escaped it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';
import { isAlive, waitAllDead } from '../fixtures/runtime/proc.js';
import { CHILD_TAG_VAR, WORKER_TAG_VAR } from '../fixtures/box/app-children.js';
import { freePort, runClient, sandbox } from './helpers.js';

const childrenApp = join(distDir, 'test', 'fixtures', 'box', 'app-children.js');
const box = sandbox('children');
after(() => box.cleanup());

/** Starts a fallback worker through `initsock request` and has it spawn 20 owned children (detached, TERM-ignoring, in its group). */
async function workerWithChildren(idleTimeout: string): Promise<{ worker: number; children: number[] }> {
  const port = await freePort();
  const env = { ...box.env, INITSOCK_APP: childrenApp, INITSOCK_IDLE_TIMEOUT: idleTimeout };
  const r = await runClient(['request', '--port', String(port), 'GET', '/spawn?n=20&kinds=3'], env);
  assert.equal(r.code, 0, r.stderr);
  const body = JSON.parse(r.stdout) as { pid: number; children: number[] };
  assert.equal(body.children.length, 20);
  assert.deepEqual(
    body.children.filter((p) => !isAlive(p)),
    [],
    'all 20 children run before the worker stops',
  );
  return { worker: body.pid, children: body.children };
}

test('idle exit of a fallback worker leaves none of its 20 children behind', { timeout: 40_000 }, async () => {
  const { worker, children } = await workerWithChildren('1s');
  assert.deepEqual(await waitAllDead([worker], 30_000), [], 'the worker exits on idle');
  assert.deepEqual(children.filter(isAlive), [], 'no child outlives the worker');
});

test('SIGTERM to a fallback worker leaves none of its 20 children behind', { timeout: 40_000 }, async () => {
  const { worker, children } = await workerWithChildren('10min');
  process.kill(worker, 'SIGTERM');
  assert.deepEqual(await waitAllDead([worker], 30_000), [], 'the worker exits on SIGTERM');
  assert.deepEqual(children.filter(isAlive), [], 'no child outlives the worker');
});

/** Live processes on this machine carrying the children fixture's tag (grandchildren and setsid daemons included). */
function tagged(tag: string): number[] {
  const r = spawnSync(
    process.execPath,
    [join(distDir, 'test', 'fixtures', 'box', 'tagged-processes.js'), CHILD_TAG_VAR, tag],
    { encoding: 'utf8' },
  );
  return JSON.parse(r.stdout) as number[];
}

/** Polls (bounded) until `check` holds; false when it never did. */
async function eventually(check: () => boolean, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i += 1) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

test('a fallback worker also stops what escaped it: setsid daemons, double forks, plain child_process.spawn', {
  timeout: 60_000,
}, async (t) => {
  if (process.platform !== 'linux')
    return t.skip('orphans re-parent to the worker only on Linux (PR_SET_CHILD_SUBREAPER)');
  const tag = `escapees-${process.pid}`;
  const port = await freePort();
  const env = { ...box.env, INITSOCK_APP: childrenApp, INITSOCK_IDLE_TIMEOUT: '2s', [WORKER_TAG_VAR]: tag };
  const owned = await runClient(['request', '--port', String(port), 'GET', '/spawn?n=8'], env);
  assert.equal(owned.code, 0, owned.stderr);
  const plain = await runClient(['request', '--port', String(port), 'GET', '/spawn?n=8&plain=1'], env);
  assert.equal(plain.code, 0, plain.stderr);
  const worker = (JSON.parse(plain.stdout) as { pid: number }).pid;
  t.after(() => {
    for (const pid of tagged(tag)) process.kill(pid, 'SIGKILL');
  });
  // 8 + 8 lasting processes: each daemonizing child's shell exits at once and leaves its setsid'd sleep behind.
  assert.ok(
    await eventually(() => tagged(tag).length === 16),
    `expected 16 tagged processes, found ${tagged(tag).length}`,
  );
  assert.deepEqual(await waitAllDead([worker], 30_000), [], 'the worker exits on idle');
  assert.deepEqual(tagged(tag), [], 'processes that escaped the worker outlived it');
});
