// Port squatting: the real owner of a loopback listener from /proc, and a client that refuses to send its token to another user.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request, type ClientRequest, type ClientRequestArgs } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { addressBytes, peerUid, readProcNet, verifyPeerOnConnect } from '../../src/security/peer-owner.js';
import { isInitsockError } from '../../src/errors.js';

const NOBODY = 65534;
const linux = readProcNet() !== null;
const isRoot = process.getuid?.() === 0;

/** A server run by another user (nobody) that prints how many bytes it received on each connection. */
const SQUATTER = `
const s = require('net').createServer((c) => { let n = 0; c.on('data', (d) => { n += d.length; process.stdout.write('data ' + n + '\\n'); });
  c.on('close', () => process.stdout.write('got ' + n + '\\n')); });
s.listen(0, '127.0.0.1', () => process.stdout.write('port ' + s.address().port + '\\n'));`;
let squatter: ChildProcess | null = null;
let squatPort = 0;
let squatOut = '';
before(async () => {
  if (!linux || !isRoot) return;
  squatter = spawn(process.execPath, ['-e', SQUATTER], {
    uid: NOBODY,
    gid: NOBODY,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  squatPort = await new Promise<number>((resolve) => {
    squatter!.stdout!.on('data', (d: Buffer) => {
      squatOut += d;
      const m = /port (\d+)/.exec(squatOut);
      if (m) resolve(Number(m[1]));
    });
  });
});
after(() => {
  squatter?.kill();
});

async function connected(port: number, host: string): Promise<Socket> {
  const s = connect(port, host);
  await once(s, 'connect');
  return s;
}

test('addressBytes maps IPv4, IPv6 and IPv4-mapped spellings to the same 16 bytes', () => {
  assert.deepEqual(addressBytes('127.0.0.1'), addressBytes('::ffff:127.0.0.1'));
  assert.deepEqual(addressBytes('::1'), [...Array(15).fill(0), 1]);
  assert.deepEqual(addressBytes('0:0:0:0:0:0:0:1'), addressBytes('::1'));
  assert.deepEqual(addressBytes('fe80::1:2'), [0xfe, 0x80, ...Array(10).fill(0), 0, 1, 0, 2]);
});

test('peerUid finds the owner of our own listener, over IPv4 and IPv6', async (t) => {
  if (!linux) {
    t.skip('no /proc/net/tcp on this system');
    return;
  }
  for (const host of ['127.0.0.1', '::1']) {
    const server = createServer((c) => c.end());
    server.listen(0, host);
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    const s = await connected(port, host);
    assert.equal(peerUid(s), process.getuid?.(), host);
    s.destroy();
    server.close();
  }
});

test('peerUid is null where there is no /proc table, or no matching row', async () => {
  const server = createServer((c) => c.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const s = await connected((server.address() as { port: number }).port, '127.0.0.1');
  assert.equal(peerUid(s, null), null);
  assert.equal(peerUid(s, '  sl  local_address rem_address   st\n'), null);
  s.destroy();
  server.close();
});

test('a listener owned by another user is identified as theirs', async (t) => {
  if (!linux || !isRoot) {
    t.skip('needs Linux /proc and root to run a server as another user');
    return;
  }
  const s = await connected(squatPort, '127.0.0.1');
  assert.equal(peerUid(s), NOBODY);
  const closed = next('got');
  s.destroy();
  await closed;
});

/** Resolves with the byte count in the squatter's next "got" (a connection closed) or "data" (bytes arrived) line. */
function next(what: 'got' | 'data'): Promise<number> {
  return new Promise((resolve) => {
    const on = (d: Buffer): void => {
      const m = new RegExp(`${what} (\\d+)`).exec(d.toString());
      if (m) {
        squatter!.stdout!.off('data', on);
        resolve(Number(m[1]));
      }
    };
    squatter!.stdout!.on('data', on);
  });
}

function tokenRequest(guard: boolean): ClientRequest {
  const req = request({
    host: '127.0.0.1',
    port: squatPort,
    path: '/',
    headers: { authorization: 'Bearer secret-token' },
    createConnection: (opts: ClientRequestArgs) => {
      const s = connect(Number(opts.port), String(opts.host));
      if (guard) verifyPeerOnConnect(s, 0);
      return s;
    },
  });
  req.end();
  return req;
}

test("an HTTP client guarded by verifyPeerOnConnect sends not one byte (so no token) to another user's listener", async (t) => {
  if (!linux || !isRoot) {
    t.skip('needs Linux /proc and root to run a server as another user');
    return;
  }
  const arrived = next('data');
  const unguarded = tokenRequest(false);
  unguarded.on('error', () => {
    /* destroyed below */
  });
  assert.ok((await arrived) > 0, 'control: without the check, the request (and its token) reaches the squatter');
  const closed = next('got');
  unguarded.destroy();
  await closed;

  const got = next('got');
  const req = tokenRequest(true);
  const [err] = (await once(req, 'error').catch((e: unknown) => [e])) as [unknown];
  assert.ok(isInitsockError(err, 'UNTRUSTED_LISTENER'), String(err));
  assert.match((err as Error).message, new RegExp(`uid ${NOBODY}.*ss -ltnp`));
  assert.equal(await got, 0, 'the squatter received nothing');
});

test('verifyPeerOnConnect lets a connection to our own listener through', async () => {
  const server = createServer((c) => c.end('hello'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const s = connect((server.address() as { port: number }).port, '127.0.0.1');
  verifyPeerOnConnect(s);
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  await once(s, 'end');
  assert.equal(Buffer.concat(chunks).toString(), 'hello');
  server.close();
});
