// Install's verify: it keeps to its announced budget (pauses and each try's timeout included), reports progress, and stops early when watched.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { isInitsockError } from '../../src/errors.js';
import { programHealth, WORKER_HEALTH } from '../../src/service/health-check.js';
import { VERIFY_BUDGET_MS, VERIFY_INTERVAL_MS, verifyHealth } from '../../src/service/verify.js';

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.closeAllConnections(), s.close();
});

/** A loopback HTTP server answering with `answer` (or never, when it returns null). */
async function serve(answer: (path: string) => [number, string] | null): Promise<number> {
  const server = createServer((req, res) => {
    const a = answer(req.url ?? '');
    if (a) res.writeHead(a[0]).end(a[1]);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const instant = async (): Promise<void> => {};

test('a worker that never gets healthy: the budget counts every pause, progress every 5 s, then VERIFY_FAILED', async () => {
  const port = await serve(() => [503, '{"status":"starting"}']);
  const lines: string[] = [];
  const clock = 0;
  const err = await verifyHealth('127.0.0.1', port, 'w', {
    check: WORKER_HEALTH,
    sleep: instant,
    log: (l) => lines.push(l),
    now: () => clock,
  }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(isInitsockError(err, 'VERIFY_FAILED'), String(err));
  const tries = VERIFY_BUDGET_MS / VERIFY_INTERVAL_MS;
  assert.match(
    err.message,
    new RegExp(
      `the worker did not answer GET http://127\\.0\\.0\\.1:${port}/health with 200 \\{"status":"ok"\\} within 30s: ${tries} tries, the last got HTTP 503`,
    ),
  );
  assert.deepEqual(
    lines.map((l) => /still waiting: (\d+s) of 30s/.exec(l)?.[1]),
    ['5s', '10s', '15s', '20s', '25s'],
  );
});

test('each try waits at most what is left of the budget', async () => {
  const port = await serve(() => null); // accepts, never answers
  const err = await verifyHealth('127.0.0.1', port, 'w', { check: WORKER_HEALTH, sleep: instant, budgetMs: 300 }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(isInitsockError(err, 'VERIFY_FAILED'), String(err));
  const waited = Number(/no answer within (\d+) ms/.exec(err.message)?.[1]);
  assert.ok(waited > 0 && waited <= 300, `a try waited ${waited} ms in a 300 ms budget: ${err.message}`);
});

test('the watcher stops verify at the first reason it gives, quoting it', async () => {
  const port = await serve(() => [503, 'no']);
  let asked = 0;
  const watch = async (): Promise<string | null> =>
    ++asked === 2 ? 'the program exited 0 without taking the socket' : null;
  const err = await verifyHealth('127.0.0.1', port, 'w', { check: WORKER_HEALTH, sleep: instant, watch }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(isInitsockError(err, 'VERIFY_FAILED'), String(err));
  assert.equal(asked, 2);
  assert.equal(err.details.tries, 2);
  assert.match(err.message, /and stopped waiting early: the program exited 0 without taking the socket/);
});

test("a program's health route: its path, any status of the list, and no body rules", async () => {
  const port = await serve((path) => (path === '/api/health' ? [204, ''] : [404, 'nope']));
  const ok = await verifyHealth('127.0.0.1', port, 'w', { check: programHealth('/api/health'), sleep: instant });
  assert.deepEqual(ok, { status: 'ok', httpStatus: 204 });
  const err = await verifyHealth('127.0.0.1', port, 'w', {
    check: programHealth('/api/health', '200'),
    sleep: instant,
    budgetMs: 1000,
  }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(isInitsockError(err, 'VERIFY_FAILED'));
  assert.match(
    err.message,
    /the program did not answer GET .*\/api\/health with HTTP 200 within 1s: \d+ tries, the last got HTTP 204/,
  );
});

test('a try that hangs is cut short as soon as the watcher gives a reason (not after its 5 s timeout)', async () => {
  const port = await serve(() => null); // accepts, never answers: like a socket nobody takes
  let asked = 0;
  const watch = async (): Promise<string | null> =>
    ++asked >= 2 ? 'the program exited 0 without taking the socket' : null;
  const err = await verifyHealth('127.0.0.1', port, 'w', { check: WORKER_HEALTH, sleep: instant, watch }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(isInitsockError(err, 'VERIFY_FAILED'), String(err));
  assert.equal(err.details.tries, 1);
  assert.equal(err.cause, undefined, 'the hanging probe was abandoned, not timed out');
  assert.match(err.message, /stopped waiting early: the program exited 0 without taking the socket/);
});
