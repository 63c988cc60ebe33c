// The worker's launchd path end to end in one process: serve() activates through the stub, serves every fd, and stops its children.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import winston from 'winston';
import { serve, type ServeOptions } from '../../src/runtime/serve.js';
import { ChildRegistry } from '../../src/runtime/children.js';
import { isInitsockError } from '../../src/errors.js';
import { fetchText } from '../helpers/net.js';
import { scratchDir } from '../helpers/paths.js';
import { buildStub, haveGcc, setStubMode } from './launchd-stub.js';

const gcc = haveGcc();
const skip = !gcc && 'gcc is not installed';
let dir = '';
before(() => {
  if (gcc) dir = scratchDir('launchd-serve');
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** serve() options for a launchd activation through the stub at `library`, with nothing process-wide installed. */
function launchdOptions(library: string, children = new ChildRegistry()): ServeOptions {
  return {
    platform: 'darwin',
    launchdLibrary: library,
    socketName: 'Listeners',
    env: {},
    logger: winston.createLogger({ silent: true }),
    handleSignals: false,
    handleCrashes: false,
    exit: () => assert.fail('serve() must not exit here'),
    children,
    childGraceMs: 2000,
  };
}

/** True while any process of group `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

test('serve() on launchd with an IPv4 and an IPv6 fd answers on both', { skip }, async () => {
  setStubMode('two');
  const handle = await serve(
    (req, res) => res.end(`ok ${req.socket.localAddress}`),
    launchdOptions(buildStub(dir, 'serve-two.so')),
  );
  assert.equal(handle.activation.kind, 'launchd');
  assert.equal(handle.servers.length, 2);
  const addrs = handle.addresses as AddressInfo[];
  assert.deepEqual(addrs.map((a) => a.family).sort(), ['IPv4', 'IPv6']);
  for (const a of addrs) assert.equal(await fetchText(a.address, a.port), `ok ${a.address}`);
  assert.equal(handle.stats().requests, 2);
  await handle.close();
  assert.ok(handle.servers.every((s) => !s.listening));
});

test('serve() refuses to start when launchd did not activate it (ESRCH): NOT_ACTIVATED, so the worker exits 78', {
  skip,
}, async () => {
  setStubMode('esrch');
  await assert.rejects(
    serve(() => {}, launchdOptions(buildStub(dir, 'serve-esrch.so'))),
    (e: unknown) => isInitsockError(e, 'NOT_ACTIVATED') && /launch_activate_socket\("Listeners"\)/.test(e.message),
  );
});

/** The process group of `pid`, from /proc/<pid>/stat (field 5, after the parenthesised command name). */
function pgidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

test("children of a launchd worker stay in the job's process group (launchd's killpg reaches them after a crash), no inherited listener, stopped on close", {
  skip,
}, async () => {
  setStubMode('one');
  const children = new ChildRegistry();
  const handle = await serve((_req, res) => res.end('ok'), launchdOptions(buildStub(dir, 'serve-kids.so'), children));
  const listener = readlinkSync(
    `/proc/self/fd/${handle.activation.kind === 'launchd' ? handle.activation.sockets[0]!.fd : -1}`,
  );
  // A shell that starts a grandchild and waits.
  const child = children.spawn('sh', ['-c', 'sleep 300 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const grandchild = Number(String((await once(child.stdout!, 'data'))[0]).trim());
  after(() => {
    try {
      process.kill(grandchild, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
  const inherited = readdirSync(`/proc/${child.pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${child.pid}/fd/${fd}`);
    } catch {
      return '';
    }
  });
  assert.ok(!inherited.includes(listener), `the child inherited the launchd listener ${listener}`);
  const jobGroup = pgidOf(process.pid);
  assert.equal(pgidOf(child.pid!), jobGroup, "the child is in the job's group, where launchd's killpg reaches it");
  assert.equal(pgidOf(grandchild), jobGroup, 'so is its grandchild');
  const exited = once(child, 'exit');
  await handle.close();
  await exited;
  assert.equal(child.exitCode ?? child.signalCode, 'SIGTERM', 'the runtime stopped the child itself on a clean exit');
});

test('children of a worker activated by anything but launchd lead their own group, and the whole group stops on close', async () => {
  const children = new ChildRegistry();
  children.adoptActivation('systemd');
  const child = children.spawn('sh', ['-c', 'sleep 300 & echo started; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await once(child.stdout!, 'data');
  assert.equal(pgidOf(child.pid!), child.pid, 'the child leads a group of its own');
  assert.ok(groupAlive(child.pid!));
  await children.terminateAll(2000);
  assert.equal(groupAlive(child.pid!), false, 'the child and its grandchild are gone');
});
