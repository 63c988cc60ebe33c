// launchdSource against a real C stub of launch_activate_socket loaded through koffi: fds are served, errnos are named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readlinkSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchText } from '../helpers/net.js';
import { launchdSource } from '../../src/activation/launchd.js';
import { isInitsockError } from '../../src/errors.js';
import { scratchDir } from '../helpers/paths.js';
import { buildStub, haveGcc, setStubMode } from './launchd-stub.js';

const gcc = haveGcc();
let dir = '';
let lib = '';

before(() => {
  if (!gcc) return;
  dir = scratchDir('launchd-ffi');
  lib = buildStub(dir);
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Serves HTTP on an inherited listening fd; resolves once it is listening, with its address. */
function serveFd(fd: number): Promise<{ server: Server; address: AddressInfo }> {
  const server = createServer((_req, res) => res.end(`hello from fd ${fd}`));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ fd }, () => resolve({ server, address: server.address() as AddressInfo }));
  });
}

function closeAll(servers: Server[]): Promise<void> {
  return Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
}

/** Expects activate() to throw an InitsockError with `code` whose message names the socket. */
function expectError(libPath: string, code: Parameters<typeof isInitsockError>[1], socketName = 'Listeners'): void {
  assert.throws(
    () => launchdSource({ socketName, library: libPath }).activate(),
    (err: unknown) => {
      assert.ok(isInitsockError(err, code), `expected ${code}, got ${String(err)}`);
      assert.match(err.message, new RegExp(`"${socketName}"`));
      return true;
    },
  );
}

test('one fd: a real IPv4 listening socket that serves HTTP', { skip: !gcc && 'gcc is not installed' }, async () => {
  const fresh = buildStub(dir, 'one.so');
  setStubMode('one');
  const activation = launchdSource({ socketName: 'Listeners', library: fresh }).activate();
  assert.ok(activation && activation.kind === 'launchd');
  assert.equal(activation.sockets.length, 1);
  assert.equal(activation.sockets[0]?.name, 'Listeners');
  const { server, address } = await serveFd(activation.sockets[0]!.fd);
  assert.equal(address.address, '127.0.0.1');
  assert.equal(await fetchText('127.0.0.1', address.port), `hello from fd ${activation.sockets[0]!.fd}`);
  await closeAll([server]);
});

test('two fds (IPv4 and IPv6): both are served', { skip: !gcc && 'gcc is not installed' }, async () => {
  const fresh = buildStub(dir, 'two.so');
  setStubMode('two');
  const activation = launchdSource({ socketName: 'Listeners', library: fresh }).activate();
  assert.ok(activation && activation.kind === 'launchd');
  assert.equal(activation.sockets.length, 2);
  const served = await Promise.all(activation.sockets.map((s) => serveFd(s.fd)));
  assert.deepEqual(served.map((s) => s.address.family).sort(), ['IPv4', 'IPv6']);
  for (const { address } of served) {
    const host = address.family === 'IPv6' ? '::1' : '127.0.0.1';
    assert.match(await fetchText(host, address.port), /^hello from fd \d+$/);
  }
  await closeAll(served.map((s) => s.server));
});

test('a second activation in the same process is ALREADY_ACTIVATED', {
  skip: !gcc && 'gcc is not installed',
}, async () => {
  const fresh = buildStub(dir, 'again.so');
  setStubMode('one');
  const first = launchdSource({ socketName: 'Listeners', library: fresh }).activate();
  assert.ok(first && first.kind === 'launchd');
  expectError(fresh, 'ALREADY_ACTIVATED');
  const { server } = await serveFd(first.sockets[0]!.fd);
  await closeAll([server]);
});

test('ENOENT is SOCKET_NOT_FOUND; a name the plist lacks too', { skip: !gcc && 'gcc is not installed' }, () => {
  setStubMode('enoent');
  expectError(lib, 'SOCKET_NOT_FOUND');
  setStubMode('one', 'Listeners');
  expectError(buildStub(dir, 'name.so'), 'SOCKET_NOT_FOUND', 'Other');
});

test('ESRCH is NOT_ACTIVATED and says how to start the worker', { skip: !gcc && 'gcc is not installed' }, () => {
  setStubMode('esrch');
  expectError(lib, 'NOT_ACTIVATED');
  assert.throws(() => launchdSource({ socketName: 'Listeners', library: lib }).activate(), /--listen/);
});

test('EALREADY is ALREADY_ACTIVATED', { skip: !gcc && 'gcc is not installed' }, () => {
  setStubMode('ealready');
  expectError(lib, 'ALREADY_ACTIVATED');
});

test('any other errno is ACTIVATION_FAILED naming the errno', { skip: !gcc && 'gcc is not installed' }, () => {
  setStubMode('eperm');
  expectError(lib, 'ACTIVATION_FAILED');
  assert.throws(() => launchdSource({ socketName: 'Listeners', library: lib }).activate(), /EPERM/);
});

test('a missing library is FFI_UNAVAILABLE', () => {
  assert.throws(
    () => launchdSource({ socketName: 'Listeners', library: '/nonexistent/libSystem.B.dylib' }).activate(),
    (err: unknown) => isInitsockError(err, 'FFI_UNAVAILABLE') && /nonexistent/.test(err.message),
  );
});

test('the fds are close-on-exec: a spawned child does not inherit the listener', {
  skip: !gcc && 'gcc is not installed',
}, async () => {
  const fresh = buildStub(dir, 'cloexec.so');
  setStubMode('two');
  const activation = launchdSource({ socketName: 'Listeners', library: fresh }).activate();
  assert.ok(activation && activation.kind === 'launchd');
  const inodes = activation.sockets.map((s) => readlinkSync(`/proc/self/fd/${s.fd}`));
  assert.ok(inodes.every((l) => l.startsWith('socket:')));
  const childFds = execFileSync('ls', ['-l', '/proc/self/fd'], { encoding: 'utf8' });
  for (const inode of inodes) assert.ok(!childFds.includes(inode), `child inherited ${inode}:\n${childFds}`);
  const served = await Promise.all(activation.sockets.map((s) => serveFd(s.fd)));
  await closeAll(served.map((s) => s.server));
});
