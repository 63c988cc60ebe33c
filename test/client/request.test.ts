// request(): the retry rule (unread vs. started responses), timeouts, --no-fallback, a crashing worker, the token, 127.0.0.1 only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { once } from 'node:events';
import { request } from '../../src/client/index.js';
import { claimPort } from '../../src/client/claim.js';
import { ensureToken, tokenPath } from '../../src/security/token.js';
import { distDir } from '../helpers/paths.js';
import { freePort, sandbox, startedPids, waitUntil } from './helpers.js';

const fixture = (name: string) => join(distDir, 'test', 'fixtures', 'client', `${name}.js`);

/** True when /proc/net/tcp shows an established connection to 127.0.0.1:port (handshake done, queued or accepted). */
function establishedTo(port: number): boolean {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .some((l) => {
      const f = l.trim().split(/\s+/);
      return f[2] === hex && f[3] === '01';
    });
}

async function listenOn(server: Server, port: number, host = '127.0.0.1'): Promise<void> {
  server.listen(port, host);
  await once(server, 'listening');
}

test('a request queued at a worker that exits without reading it is retried and answered by a new worker', async (t) => {
  const box = sandbox('queued');
  t.after(() => box.cleanup());
  const port = await freePort();
  const blocker = spawn(process.execPath, [fixture('blocker'), String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => blocker.kill('SIGKILL'));
  await once(blocker.stdout!, 'data');
  const pending = request('GET', '/health', { port, env: box.env, timeoutMs: 20_000 });
  await waitUntil(() => establishedTo(port), 5000, "the request to wait in the blocker's queue");
  blocker.stdin!.end('x'); // the blocker exits, closing its socket with our connection still queued: a reset
  const res = await pending;
  assert.equal(res.status, 200);
  assert.equal(res.mode, 'fallback');
  assert.ok(res.attempts >= 3, `reset, refused, then answered; got ${res.attempts} attempt(s)`);
  assert.deepEqual(startedPids(box.events), [(res.json() as { pid: number }).pid]);
});

test('a response that started and then broke is not retried', async (t) => {
  const port = await freePort();
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
      setImmediate(() => s.resetAndDestroy());
    });
  });
  await listenOn(server, port);
  t.after(() => server.close());
  await assert.rejects(
    request('POST', '/charge', { port, body: 'once', fallback: false }),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'UNREACHABLE');
      assert.match(err.message, /after the response had started, so the request was not retried/);
      return true;
    },
  );
  assert.equal(connections, 1);
});

test('a connection reset before any response byte is retried on the running worker', async (t) => {
  const port = await freePort();
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    if (connections === 1) s.once('data', () => s.resetAndDestroy());
    else s.once('data', () => s.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'));
  });
  await listenOn(server, port);
  t.after(() => server.close());
  const res = await request('GET', '/x', { port, fallback: false });
  assert.equal(res.status, 204);
  assert.equal(res.mode, 'running');
  assert.equal(res.attempts, 2);
});

test('--no-fallback on a free port: UNREACHABLE naming the mode tried and what to run, and nothing is started', async () => {
  const port = await freePort();
  await assert.rejects(
    request('GET', '/health', { port, name: 'svc', fallback: false }),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'UNREACHABLE');
      assert.match(err.message, /tried: already-running worker/);
      assert.match(err.message, /install-service --name svc/);
      return true;
    },
  );
  const server = await claimPort(port);
  assert.ok(server, 'the port is still free');
  server.close();
});

test('a worker that never answers: TIMEOUT after the total timeout', async (t) => {
  const port = await freePort();
  const server = createServer(() => {
    /* accept and say nothing */
  });
  await listenOn(server, port);
  t.after(() => server.close());
  await assert.rejects(request('GET', '/slow', { port, timeoutMs: 300 }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'TIMEOUT');
    assert.match(err.message, /no complete response within 300 ms/);
    return true;
  });
});

test('a fallback worker that dies at start-up is reported once, with the end of its log', async (t) => {
  const box = sandbox('crash');
  t.after(() => box.cleanup());
  const port = await freePort();
  await assert.rejects(
    request('GET', '/health', { port, env: box.env, worker: { entry: fixture('crash-worker') } }),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'UNREACHABLE');
      assert.match(err.message, /tried: already-running worker, then fallback activation/);
      assert.match(err.message, /exited with code 3 before answering/);
      assert.match(err.message, /crash-worker \d+: refusing to start \(LISTEN_PID=\d+\)/);
      return true;
    },
  );
  const log = readFileSync(box.logFile(), 'utf8');
  assert.equal(log.match(/refusing to start/g)?.length, 1, 'started exactly once, not in a loop');
});

test('the token file is sent as a bearer token, and the fallback worker requires it', async (t) => {
  const box = sandbox('token');
  t.after(() => box.cleanup());
  const port = await freePort();
  const { token } = ensureToken(tokenPath('initsock-worker', box.env, box.home));
  const res = await request('GET', '/whoami', { port, env: box.env });
  assert.equal(res.status, 200, res.text());
  assert.equal((res.json() as { authorization: string }).authorization, `Bearer ${token}`);
  const status = await new Promise<number>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/whoami', agent: false }, (r) => {
      r.resume();
      resolve(r.statusCode ?? 0);
    }).on('error', reject);
  });
  assert.equal(status, 401, 'the fallback worker was given INITSOCK_TOKEN_FILE');
});

test('dials 127.0.0.1 only: a worker on ::1 alone is not reached', async (t) => {
  const port = await freePort();
  const server = createServer((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
  try {
    await listenOn(server, port, '::1');
  } catch {
    t.skip('no IPv6 loopback on this machine');
    return;
  }
  t.after(() => server.close());
  await assert.rejects(request('GET', '/', { port, fallback: false }), { code: 'UNREACHABLE' });
});

test('bad options fail with BAD_USAGE before anything is dialled', async () => {
  await assert.rejects(request('GET', 'health'), { code: 'BAD_USAGE' });
  await assert.rejects(request('G ET', '/'), { code: 'BAD_USAGE' });
  await assert.rejects(request('GET', '/', { port: 70000 }), { code: 'BAD_USAGE' });
  await assert.rejects(request('GET', '/', { name: '../etc' }), { code: 'BAD_USAGE' });
  await assert.rejects(request('GET', '/', { timeoutMs: 0 }), { code: 'BAD_USAGE' });
  await assert.rejects(request('GET', '/', { headers: { 'x-a': 'line\nbreak' }, fallback: false }), {
    code: 'BAD_USAGE',
  });
});

test('a port squatted by another user gets no request and no token: UNTRUSTED_LISTENER, no fallback', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to run a listener as another user (nobody)');
  const box = sandbox('squat');
  t.after(() => box.cleanup());
  const port = await freePort();
  ensureToken(tokenPath('initsock-worker', box.env, box.home));
  const script = `require('net').createServer((c) => { let n = 0; c.on('data', (d) => { n += d.length; });
    c.on('close', () => process.stdout.write('closed after ' + n + ' bytes\\n')); })
    .listen(${port}, '127.0.0.1', () => process.stdout.write('ready\\n'));`;
  const squatter = spawn(process.execPath, ['-e', script], {
    uid: 65534,
    gid: 65534,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => squatter.kill('SIGKILL'));
  let seen = '';
  squatter.stdout!.setEncoding('utf8').on('data', (d: string) => {
    seen += d;
  });
  await waitUntil(() => seen.includes('ready'), 5000, 'the squatter to listen');
  await assert.rejects(request('GET', '/health', { port, env: box.env }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'UNTRUSTED_LISTENER');
    assert.match(err.message, /belongs to uid 65534/);
    return true;
  });
  await waitUntil(() => seen.includes('closed'), 5000, 'the squatter to see the connection close');
  assert.match(seen, /closed after 0 bytes/, 'the squatter received nothing');
  assert.deepEqual(startedPids(box.events), [], 'no fallback worker either');
});
