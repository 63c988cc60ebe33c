// Owned children: 20 of them (half detached with a grandchild, half ignoring SIGTERM) are all gone after idle exit and after SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';
import { httpGet, isAlive, startProc, waitAllDead, type Proc } from '../fixtures/runtime/proc.js';
import { ChildRegistry } from '../../src/runtime/children.js';

const fixture = join(distDir, 'test', 'fixtures', 'runtime', 'serve-app.js');

async function startWithChildren(env: Record<string, string>): Promise<{ proc: Proc; pids: number[]; port: number }> {
  const proc = startProc(process.execPath, [fixture], { env: { PATH: process.env.PATH, GRACE_MS: '300', ...env } });
  const port = Number((await proc.waitFor(/^port \d+/)).split(' ')[1]);
  const { pids } = JSON.parse((await httpGet(port, '/spawn')).body) as { pids: number[] };
  // 10 detached shells + their 10 sleeps, and 10 plain children: 30 processes, all running now.
  assert.equal(pids.length, 30);
  assert.deepEqual(
    pids.filter((p) => !isAlive(p)),
    [],
    'every child is running before the worker stops',
  );
  return { proc, pids, port };
}

test('idle exit terminates every owned child and its group, TERM-ignoring ones included', {
  timeout: 30_000,
}, async (t) => {
  const { proc, pids } = await startWithChildren({ IDLE_MS: '200' });
  t.after(() => {
    proc.kill();
    for (const p of pids)
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
  });
  assert.equal(await proc.exited, 0);
  assert.ok(proc.lines.some((l) => /idle timeout reached/.test(l)));
  assert.deepEqual(await waitAllDead(pids), [], 'no child left behind');
});

test('SIGTERM terminates every owned child and its group', { timeout: 30_000 }, async (t) => {
  const { proc, pids } = await startWithChildren({});
  t.after(() => {
    proc.kill();
    for (const p of pids)
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
  });
  process.kill(proc.child.pid!, 'SIGTERM');
  assert.equal(await proc.exited, 0);
  assert.deepEqual(await waitAllDead(pids), [], 'no child left behind');
});

test('a crash (exit 1) terminates every owned child too', { timeout: 30_000 }, async (t) => {
  const { proc, pids, port } = await startWithChildren({});
  t.after(() => {
    proc.kill();
    for (const p of pids)
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
  });
  await httpGet(port, '/crash');
  assert.equal(await proc.exited, 1);
  assert.deepEqual(await waitAllDead(pids), [], 'no child left behind');
});

test('terminateAll gives children the grace period to exit on SIGTERM before SIGKILL', async () => {
  const registry = new ChildRegistry();
  const polite = registry.spawn('/bin/sh', ['-c', 'trap "exit 7" TERM; echo ready; while :; do sleep 0.05; done'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => polite.once('exit', (code) => resolve(code)));
  await new Promise((resolve) => polite.stdout!.once('data', resolve)); // the trap is installed
  await registry.terminateAll(10_000);
  assert.equal(await exited, 7, 'exited through its TERM trap, not SIGKILL');
  assert.equal(registry.size, 0);
});

test('two copies of the children module (bundled worker + the package an --app imports) share one registry', async () => {
  const here = await import('../../src/runtime/children.js');
  // A query string makes the ESM loader evaluate a second, separate instance of the same file, like a second copy.
  const url = new URL('../../src/runtime/children.js', import.meta.url).href;
  const copy = (await import(`${url}?second-copy`)) as typeof here;
  assert.notEqual(copy.ChildRegistry, here.ChildRegistry, 'really a second module instance');
  assert.equal(copy.ownedChildren, here.ownedChildren, 'but the same process-wide registry');
  const child = copy.spawnChild('sleep', ['30'], { stdio: 'ignore' });
  assert.equal(here.ownedChildren.size, 1, "a child started through the copy is owned by the worker's registry");
  await here.ownedChildren.terminateAll(1000);
  assert.deepEqual(await waitAllDead([child.pid!], 5000), []);
});
