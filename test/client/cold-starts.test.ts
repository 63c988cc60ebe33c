// Cold starts in a row with tiny idle timeouts: every client answered, worker lifetimes never overlap, queued requests retried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoOverlap,
  freePort,
  isAlive,
  readEvents,
  runClient,
  sandbox,
  startedPids,
  waitUntil,
} from './helpers.js';

const health = (port: number, ...more: string[]) => [
  'request',
  '--port',
  String(port),
  '--timeout',
  '30s',
  ...more,
  'GET',
  '/health',
];

function pidOf(stdout: string): number {
  const body = JSON.parse(stdout) as { pid: number; activation: string };
  assert.equal(body.activation, 'handoff');
  return body.pid;
}

test('repeated cold starts with a 200ms idle timeout: no client error, never two workers at once', async (t) => {
  const box = sandbox('cold');
  t.after(() => box.cleanup());
  const port = await freePort();
  const seen = new Set<number>();
  for (let round = 0; round < 4; round++) {
    const runs = await Promise.all(
      Array.from({ length: 3 }, () => runClient(health(port, '--idle-timeout', '200ms'), box.env)),
    );
    for (const r of runs) assert.equal(r.code, 0, `round ${round}: ${r.stderr}`);
    runs.forEach((r) => seen.add(pidOf(r.stdout)));
    // Let every worker of this round exit on idle, so the next round starts cold.
    await waitUntil(() => startedPids(box.events).every((p) => !isAlive(p)), 10_000, 'the idle workers to exit');
  }
  const events = readEvents(box.events);
  assertNoOverlap(events);
  assert.ok(seen.size >= 4, `expected a new worker per round, saw ${seen.size}`);
  assert.deepEqual(new Set(startedPids(box.events)), seen, 'every started worker answered someone');
});

test('back-to-back clients racing 50ms idle exits: every call answered, never two workers at once', async (t) => {
  const box = sandbox('race');
  t.after(() => box.cleanup());
  const port = await freePort();
  let retried = 0;
  const lanes = Array.from({ length: 3 }, async () => {
    for (let i = 0; i < 5; i++) {
      const r = await runClient(health(port, '--idle-timeout', '50ms'), { ...box.env, INITSOCK_DEBUG: '1' });
      assert.equal(r.code, 0, r.stderr);
      pidOf(r.stdout);
      if (!/after 1 attempt/.test(r.stderr)) retried++;
    }
  });
  await Promise.all(lanes);
  t.diagnostic(
    `${startedPids(box.events).length} workers for 15 calls; ${retried} call(s) needed more than one connection (refused, then activation; or reset)`,
  );
  await waitUntil(() => startedPids(box.events).every((p) => !isAlive(p)), 10_000, 'the idle workers to exit');
  assertNoOverlap(readEvents(box.events));
});

test('the overlap check catches a worker starting while another holds the port', () => {
  const ev = (kind: 'start' | 'release' | 'exit', pid: number) => ({ kind, pid });
  assertNoOverlap([ev('start', 1), ev('release', 1), ev('start', 2), ev('exit', 1), ev('exit', 2)]);
  assert.throws(
    () => assertNoOverlap([ev('start', 1), ev('start', 2), ev('release', 1)]),
    /started while worker 1 held the port/,
  );
});
