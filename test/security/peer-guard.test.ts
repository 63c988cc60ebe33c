// The accept-time peer-owner check with real other users: a worker run as one uid refuses another's connections, not root's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { checkoutHiddenFromOthers, distDir, workerBin } from '../helpers/paths.js';
import { freePort, startProc } from '../fixtures/runtime/proc.js';
import { lookupPeer, peerGuard, refusalReason } from '../../src/security/peer-guard.js';
import { diagLookup, openSockDiag, TCP_TIME_WAIT } from '../../src/security/sock-diag.js';
import { peerRowFromProc } from '../../src/security/peer-owner.js';

const WORKER_UID = 65534; // nobody
const OTHER_UID = 65533; // a uid with no processes of its own: another local user
const getAs = join(distDir, 'test', 'fixtures', 'proxy', 'get-as.js');
const daemon = join(distDir, 'test', 'fixtures', 'proxy', 'daemon.js');
const canSwitch = process.getuid?.() === 0 && spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;
/** Why the worker and clients cannot run as other users here, or null. */
const noSwitch = (): string | null =>
  canSwitch ? checkoutHiddenFromOthers() : 'needs root and setpriv to run processes as other users';

/** One GET from a process running as `uid`: "200", or the error code (ECONNRESET when refused). */
async function getFrom(uid: number, port: number): Promise<string> {
  const child = spawn(process.execPath, [getAs, String(port)], { uid, gid: uid, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  await once(child, 'close');
  return out;
}

/** The worker (with `args`) run as WORKER_UID on a socket systemd-socket-activate holds. */
async function workerAs(t: { after: (fn: () => void) => void }, args: string[]) {
  const port = await freePort();
  const proc = startProc('systemd-socket-activate', [
    '-l',
    `127.0.0.1:${port}`,
    'setpriv',
    `--reuid=${WORKER_UID}`,
    `--regid=${WORKER_UID}`,
    '--clear-groups',
    process.execPath,
    workerBin,
    ...args,
  ]);
  t.after(() => proc.kill());
  await proc.waitFor(/Listening on/);
  return { proc, port };
}

for (const mode of ['default worker', 'proxy'] as const) {
  test(`${mode}: another user's connection is closed unanswered; the worker's own user and root are served`, async (t) => {
    const why = noSwitch();
    if (why) return t.skip(why);
    const child = await freePort();
    const { proc, port } = await workerAs(
      t,
      mode === 'proxy' ? ['--proxy-port', String(child), '--', process.execPath, daemon, String(child)] : [],
    );
    assert.equal(await getFrom(0, port), '200', 'root is excepted');
    assert.equal(await getFrom(WORKER_UID, port), '200', "the worker's own user");
    assert.equal(await getFrom(OTHER_UID, port), 'ECONNRESET', 'another user');
    await proc.waitFor(
      new RegExp(
        `refused a connection from 127\\.0\\.0\\.1:\\d+: it belongs to uid ${OTHER_UID}, and this worker serves only uid ${WORKER_UID}`,
      ),
    );
    assert.equal(await getFrom(WORKER_UID, port), '200', 'the worker goes on serving');
  });
}

test('--allow-other-users turns the check off', async (t) => {
  const why = noSwitch();
  if (why) return t.skip(why);
  const { port } = await workerAs(t, ['--allow-other-users']);
  assert.equal(await getFrom(OTHER_UID, port), '200');
});

/** An accepted connection and its client, on a fresh loopback listener. */
async function pair(host: string): Promise<{ accepted: Socket; client: Socket; close: () => void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host === '::1' ? '::1' : '::', resolve));
  const client = connect((server.address() as { port: number }).port, host);
  const [accepted] = (await once(server, 'connection')) as [Socket];
  return {
    accepted,
    client,
    close: () => {
      client.destroy();
      accepted.destroy();
      server.close();
    },
  };
}

test("sock_diag and the /proc scan agree on the peer's owner and state, for IPv4 on a dual-stack listener and IPv6", async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  assert.equal(openSockDiag(), true, 'netlink sock_diag opens through koffi');
  for (const host of ['127.0.0.1', '::1']) {
    const { accepted, close } = await pair(host);
    t.after(close);
    const diag = diagLookup(
      { address: accepted.remoteAddress!, port: accepted.remotePort! },
      { address: accepted.localAddress!, port: accepted.localPort! },
    );
    assert.deepEqual(diag, { uid: process.getuid!(), state: 1 }, `${host}: ESTABLISHED, ours`);
    assert.deepEqual(peerRowFromProc(accepted), diag);
    assert.deepEqual(lookupPeer(accepted), diag);
  }
});

test('an owner that cannot be known is refused: no socket, or one already closed (the kernel says uid 0 for it)', () => {
  assert.equal(refusalReason(null, 1000), 'its socket could not be found, so its owner is unknown');
  assert.equal(refusalReason({ uid: 0, state: TCP_TIME_WAIT }, 1000), 'it was already closed, so its owner is unknown');
  assert.equal(refusalReason({ uid: 0, state: 1 }, 1000), null);
  assert.equal(refusalReason({ uid: 1000, state: 1 }, 1000), null);
  assert.equal(refusalReason({ uid: 1001, state: 1 }, 1000), 'it belongs to uid 1001');
  const lines: string[] = [];
  const admit = peerGuard({
    uid: 1000,
    lookup: () => ({ uid: 1001, state: 1 }),
    logger: { warn: (m) => lines.push(m) },
  })!;
  assert.equal(admit({ remoteAddress: '127.0.0.1', remotePort: 5 } as Socket), false);
  assert.match(lines[0]!, /belongs to uid 1001/);
});

test('a peer with no local socket is refused on loopback, and passes from another machine (--expose-to-network)', () => {
  const admit = peerGuard({ uid: 1000, lookup: () => null, logger: { warn: () => {} } })!;
  assert.equal(admit({ remoteAddress: '127.0.0.1', remotePort: 5 } as Socket), false);
  assert.equal(admit({ remoteAddress: '::ffff:127.0.0.1', remotePort: 5 } as Socket), false);
  assert.equal(admit({ remoteAddress: '192.0.2.7', remotePort: 5 } as Socket), true);
});
