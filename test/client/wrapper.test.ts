// The fixed handoff wrapper: LISTEN_PID is the exec'd worker's own pid, and the fds it must not inherit are closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isShellStartupVar, WRAPPER_SCRIPT, wrapperArgv } from '../../src/client/wrapper.js';
import { sandbox, waitUntil } from './helpers.js';

const safeEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !isShellStartupVar(k)));

/** Runs `sleep` through the wrapper under `shell` with the marker file at fds 3, 5, 9 and 12; returns its fds and LISTEN_PID. */
async function probe(
  shell: string,
  marker: string,
): Promise<{ fds: number[]; listenPid: string | undefined; pid: number }> {
  const fd = openSync(marker, 'r');
  const stdio = [
    'ignore',
    'ignore',
    'ignore',
    fd,
    'ignore',
    fd,
    'ignore',
    'ignore',
    'ignore',
    fd,
    'ignore',
    'ignore',
    fd,
  ] as const;
  const child = spawn(shell, ['-c', WRAPPER_SCRIPT, 'sleep', '30'], { stdio: [...stdio], env: safeEnv() });
  closeSync(fd);
  const pid = child.pid!;
  try {
    await waitUntil(
      () => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep',
      5000,
      'the wrapper to exec sleep',
    );
    const fds = readdirSync(`/proc/${pid}/fd`)
      .map(Number)
      .sort((a, b) => a - b);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return { fds, pid, listenPid: environ.find((e) => e.startsWith('LISTEN_PID='))?.slice('LISTEN_PID='.length) };
  } finally {
    child.kill('SIGKILL');
  }
}

test("under bash (the shell used when present): LISTEN_PID is the worker's pid and only fds 0-3 survive", async (t) => {
  if (!existsSync('/bin/bash')) return t.skip('no /bin/bash on this machine');
  const box = sandbox('wrap-bash');
  t.after(() => box.cleanup());
  const marker = join(box.dir, 'marker');
  writeFileSync(marker, '');
  const r = await probe('/bin/bash', marker);
  assert.equal(r.listenPid, String(r.pid));
  assert.deepEqual(r.fds, [0, 1, 2, 3]);
  assert.equal(wrapperArgv(['x']).file, '/bin/bash');
});

test('under dash: fds 4-9 are closed and the exec still happens; fds >= 10 survive, which is why bash is preferred', async (t) => {
  if (!existsSync('/bin/sh') || !realpathSync('/bin/sh').endsWith('dash')) return t.skip('/bin/sh is not dash here');
  const box = sandbox('wrap-dash');
  t.after(() => box.cleanup());
  const marker = join(box.dir, 'marker');
  writeFileSync(marker, '');
  const r = await probe('/bin/sh', marker);
  assert.equal(r.listenPid, String(r.pid));
  assert.deepEqual(
    r.fds.filter((fd) => fd <= 9),
    [0, 1, 2, 3],
  );
  assert.ok(r.fds.includes(12), 'dash cannot name fd 12 in a redirection');
});

test('the script is a constant: the command and its arguments travel as "$0" "$@", never inside it', () => {
  const { args } = wrapperArgv(['/usr/bin/node', '/path with spaces/$(touch x)/w.js', '--flag']);
  assert.deepEqual(args.slice(2), ['/usr/bin/node', '/path with spaces/$(touch x)/w.js', '--flag']);
  assert.equal(args[1], WRAPPER_SCRIPT);
  assert.doesNotMatch(WRAPPER_SCRIPT, /node|worker/);
});
