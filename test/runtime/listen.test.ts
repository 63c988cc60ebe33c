// A bad inherited fd is a clean BAD_FD error, in-process and in a real worker, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync } from 'node:fs';
import { Server, connect } from 'node:net';
import { spawn } from 'node:child_process';
import { listenOnFd, listenOnAddress } from '../../src/runtime/listen.js';
import { handoffCommand } from '../../src/activation/handoff.js';
import { workerBin } from '../helpers/paths.js';

test('a closed fd is BAD_FD, "not open"', async () => {
  await assert.rejects(listenOnFd(new Server(), 987, 'web'), { code: 'BAD_FD', message: /fd 987 \("web"\): it is not open \(EBADF\)/ });
});

test('a file is BAD_FD, "not a socket"', async () => {
  const fd = openSync(workerBin, 'r');
  try {
    await assert.rejects(listenOnFd(new Server(), fd), { code: 'BAD_FD', message: /it is not a socket/ });
  } finally {
    closeSync(fd);
  }
});

test('an address in use is PORT_IN_USE', async () => {
  const first = new Server();
  await listenOnAddress(first, '127.0.0.1', 0);
  const { port } = first.address() as { port: number };
  await assert.rejects(listenOnAddress(new Server(), '127.0.0.1', port), { code: 'PORT_IN_USE' });
  first.close();
});

/** Runs the worker with LISTEN_FDS=1 (systemd style) and `fd3` as its fd 3; resolves with its exit code and output. */
function runWithFd3(fd3: unknown): Promise<{ code: number | null; out: string }> {
  const [file, args] = handoffCommand(process.execPath, [workerBin]);
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe', fd3] as never, env: { PATH: process.env.PATH, LISTEN_FDS: '1' } });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

test('a worker given a connected TCP socket (listen fails asynchronously) exits 78 with BAD_FD, no stack trace', async () => {
  const server = new Server();
  await listenOnAddress(server, '127.0.0.1', 0);
  const client = connect((server.address() as { port: number }).port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  try {
    const { code, out } = await runWithFd3(client);
    assert.equal(code, 78, out);
    assert.match(out, /^<3>initsock-worker cannot start: BAD_FD: cannot listen on inherited fd 3 \("unknown"\): listen EINVAL/m);
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
  } finally {
    client.destroy();
    server.close();
  }
});

test('a worker told LISTEN_FDS=1 with nothing at fd 3 exits 78 with BAD_FD', async () => {
  const { code, out } = await runWithFd3('ignore');
  assert.equal(code, 78, out);
  // Node reuses a free fd 3 for its own handles (epoll, eventfd) at start-up, so this reads "not a socket".
  assert.match(out, /BAD_FD: cannot listen on inherited fd 3 /);
});
