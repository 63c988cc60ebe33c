// Fallback activation with real processes: one worker for 30 cold clients, SIGKILL recovery, no inherited fds, own session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, isAlive, procStat, runClient, sandbox, startedPids, waitUntil } from './helpers.js';

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
  const body = JSON.parse(stdout) as { pid: number; activation: string; status: string };
  assert.equal(body.status, 'ok');
  assert.equal(body.activation, 'handoff');
  return body.pid;
}

test('30 concurrent client processes on a cold port: all answered by the one worker that was started', async (t) => {
  const box = sandbox('thirty');
  t.after(() => box.cleanup());
  const port = await freePort();
  const runs = await Promise.all(Array.from({ length: 30 }, () => runClient(health(port), box.env)));
  for (const r of runs) assert.equal(r.code, 0, `client failed: ${r.stderr}`);
  const pids = new Set(runs.map((r) => pidOf(r.stdout)));
  const started = startedPids(box.events);
  assert.equal(started.length, 1, `workers started: ${JSON.stringify(started)}`);
  assert.deepEqual([...pids], started);
});

test('a worker killed with SIGKILL: the next client starts a new one, and nothing stale is left behind', async (t) => {
  const box = sandbox('kill');
  t.after(() => box.cleanup());
  const port = await freePort();
  const first = await runClient(health(port), box.env);
  assert.equal(first.code, 0, first.stderr);
  const victim = pidOf(first.stdout);
  process.kill(victim, 'SIGKILL');
  await waitUntil(() => !isAlive(victim), 5000, `worker ${victim} to die`);
  const second = await runClient(health(port), box.env);
  assert.equal(second.code, 0, second.stderr);
  const next = pidOf(second.stdout);
  assert.notEqual(next, victim);
  assert.deepEqual(startedPids(box.events), [victim, next]);
  // The only file the fallback writes is the log: no pid file, no lock file.
  const stateDir = join(box.home, '.local', 'state', 'initsock', 'initsock-worker');
  assert.deepEqual(readdirSync(stateDir), ['worker.log']);
  assert.equal(procStat(next)?.[3], String(next), 'the new worker leads its own session');
});

test("the worker inherits no extra fds from the hook, logs to the file, and is not the hook's child", async (t) => {
  const box = sandbox('fds');
  t.after(() => box.cleanup());
  const port = await freePort();
  const marker = join(box.dir, 'hook-private-file');
  writeFileSync(marker, 'secret');
  const fd = openSync(marker, 'r');
  t.after(() => closeSync(fd));
  // The client gets the marker at fds 5, 12 and 40, without CLOEXEC (as a shell passes an fd down). Node itself
  // marks fds 0-15 CLOEXEC at start-up (libuv's uv_disable_stdio_inheritance), and after that only up to the
  // first gap, so fd 40 is the one that really reaches the wrapper still open: it must close it.
  const extra: Array<'ignore' | number> = Array(38).fill('ignore');
  extra[5 - 3] = fd;
  extra[12 - 3] = fd;
  extra[40 - 3] = fd;
  const run = await runClient(health(port), box.env, { extra });
  assert.equal(run.code, 0, run.stderr);
  const pid = pidOf(run.stdout);
  const fds = new Map(readdirSync(`/proc/${pid}/fd`).map((n) => [Number(n), safeReadlink(`/proc/${pid}/fd/${n}`)]));
  const leaked = [...fds].filter(([, target]) => target === marker);
  assert.deepEqual(leaked, [], `fds the hook leaked into the worker: ${JSON.stringify([...fds])}`);
  assert.equal(fds.get(0), '/dev/null');
  assert.equal(fds.get(1), box.logFile());
  assert.equal(fds.get(2), box.logFile());
  assert.ok(isAlive(pid), 'the client exited and left the worker running');
  const stat = procStat(pid)!;
  assert.notEqual(Number(stat[1]), run.pid, "the worker's parent is not the (exited) client");
  assert.equal(stat[3], String(pid), 'the worker leads its own session (setsid)');
  assert.notEqual(procStat(process.pid)![3], stat[3]);
});

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '?';
  }
}
