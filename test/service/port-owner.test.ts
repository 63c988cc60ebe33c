// Port-owner lookup against a real listening process: /proc/net/tcp{,6} inode → /proc/<pid>/fd, with pid and command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  addressesClash,
  decodeAddress,
  describeOwner,
  findPortOwners,
  listeningInodes,
  portInUse,
} from '../../src/service/port-owner.js';

/** A child node process listening on a free port on `host`; resolves with it and the port. */
async function listener(host: string): Promise<{ pid: number; port: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s=require('net').createServer().listen(0,'${host}',()=>console.log(s.address().port))`,
      'holder-marker',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    pid: child.pid as number,
    port: Number(line.toString().trim()),
    stop: async () => {
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

test('finds the pid and command line of a process listening on IPv4 loopback', async (t) => {
  const l = await listener('127.0.0.1');
  t.after(() => l.stop());
  assert.equal(portInUse(l.port), true);
  const owners = findPortOwners(l.port);
  assert.deepEqual(
    owners.map((o) => o.pid),
    [l.pid],
  );
  assert.match(owners[0]?.command ?? '', /node.* -e .*holder-marker/);
  assert.equal(owners[0]?.comm, 'node');
  assert.match(describeOwner(owners[0]!), new RegExp(`^pid ${l.pid} \\(.*holder-marker\\)$`));
});

test('finds an IPv6 listener through /proc/net/tcp6', async (t) => {
  const l = await listener('::1').catch(() => null);
  if (!l) return t.skip('no IPv6 loopback here');
  t.after(() => l.stop());
  assert.deepEqual(
    findPortOwners(l.port).map((o) => o.pid),
    [l.pid],
  );
});

test('a free port has no owner, and a closed listener frees it', async () => {
  const l = await listener('127.0.0.1');
  await l.stop();
  assert.equal(portInUse(l.port), false);
  assert.deepEqual(findPortOwners(l.port), []);
});

test('listeningInodes reads only LISTEN rows (state 0A) of the port', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:9371 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1',
    '   1: 0100007F:9371 0100007F:C000 01 00000000:00000000 00:00000000 00000000     0        0 222 1',
    '   2: 0100007F:9372 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1',
  ].join('\n');
  assert.deepEqual(listeningInodes(table, 0x9371), ['111']);
  assert.deepEqual(listeningInodes(table, 0x9371, '127.0.0.1'), ['111']);
  assert.deepEqual(listeningInodes(table, 0x9371, '::1'), []);
});

test('decodeAddress reads /proc/net/tcp{,6} addresses; only clashing listeners count when a host is given', async (t) => {
  assert.equal(decodeAddress('0100007F'), '127.0.0.1');
  assert.equal(decodeAddress('00000000'), '0.0.0.0');
  assert.equal(decodeAddress('00000000000000000000000001000000'), '::1');
  assert.equal(decodeAddress('00000000000000000000000000000000'), '::');
  assert.equal(decodeAddress('0000000000000000FFFF00000100007F'), '127.0.0.1');
  assert.equal(addressesClash('127.0.0.1', '127.0.0.1'), true);
  assert.equal(addressesClash('127.0.0.1', '0.0.0.0'), true);
  assert.equal(addressesClash('127.0.0.1', '::'), true, 'a dual-stack wildcard takes IPv4 too');
  assert.equal(addressesClash('127.0.0.1', '::1'), false);
  assert.equal(addressesClash('127.0.0.1', '127.0.0.2'), false);
  assert.equal(addressesClash('0:0:0:0:0:0:0:1', '::1'), true);
  const l = await listener('127.0.0.2');
  t.after(() => l.stop());
  assert.equal(portInUse(l.port, '/', '127.0.0.1'), false, '127.0.0.2 does not keep us from 127.0.0.1');
  assert.deepEqual(
    findPortOwners(l.port, '/', '127.0.0.2').map((o) => o.pid),
    [l.pid],
  );
  assert.equal(portInUse(l.port), true);
});
