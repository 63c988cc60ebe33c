// Fallback mode has no cgroup: a worker the client started must itself stop its 20 owned children on idle exit and on SIGTERM.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';
import { isAlive, waitAllDead } from '../fixtures/runtime/proc.js';
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
  assert.deepEqual(body.children.filter((p) => !isAlive(p)), [], 'all 20 children run before the worker stops');
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
