// A bad inherited fd is a clean BAD_FD error, in-process and in a real worker, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { Server, connect } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { listenOnFd, listenOnAddress } from '../../src/runtime/listen.js';
import { handoffCommand } from '../../src/activation/handoff.js';
import { freePort } from '../helpers/net.js';
import { workerBin } from '../helpers/paths.js';

test('a closed fd is BAD_FD, "not open"', async () => {
  await assert.rejects(listenOnFd(new Server(), 987, 'web'), {
    code: 'BAD_FD',
    message: /fd 987 \("web"\): it is not open \(EBADF\)/,
  });
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
  const child = spawn(file, args, {
    stdio: ['ignore', 'pipe', 'pipe', fd3] as never,
    env: { PATH: process.env.PATH, LISTEN_FDS: '1' },
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
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
    assert.match(
      out,
      /^<3>initsock-worker cannot start: BAD_FD: cannot listen on inherited fd 3 \("unknown"\): listen EINVAL/m,
    );
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

/** The accept-queue length of the socket listening on 127.0.0.1:port (ss's Send-Q), or null without ss. */
function listenBacklog(port: number): number | null {
  const r = spawnSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' });
  const field = r.status === 0 ? r.stdout.trim().split(/\s+/)[2] : undefined;
  return field === undefined ? null : Number(field);
}

test("taking over an inherited socket keeps its listen backlog instead of shrinking it to Node's 511", async (t) => {
  if (spawnSync('systemd-socket-activate', ['--help'], { stdio: 'ignore' }).status !== 0)
    return t.skip('systemd-socket-activate is not installed');
  if (spawnSync('ss', ['-V'], { stdio: 'ignore' }).status !== 0) return t.skip('ss (iproute2) is not installed');
  const port = await freePort();
  const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  const sa = spawn(
    'systemd-socket-activate',
    ['-l', `127.0.0.1:${port}`, '-E', 'INITSOCK_LOG_LEVEL=error', process.execPath, workerBin],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  try {
    await once(sa.stderr!.setEncoding('utf8'), 'data'); // "Listening on 127.0.0.1:PORT as 3."
    const before = listenBacklog(port);
    assert.ok(
      before !== null && before > 511,
      `systemd-socket-activate listens with a backlog above 511 (got ${before})`,
    );
    const res = await fetch(`http://127.0.0.1:${port}/health`); // starts the worker on the socket
    assert.equal(res.status, 200);
    assert.equal(listenBacklog(port), Math.min(before, somaxconn));
  } finally {
    sa.kill('SIGTERM');
    await once(sa, 'exit');
  }
});
