// The default worker under systemd-socket-activate: serves on the inherited socket; children inherit no socket; --app kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workerBin, distDir } from '../helpers/paths.js';
import { freePort, httpGet, startProc, type Proc } from '../fixtures/runtime/proc.js';

const fixtures = join(distDir, 'test', 'fixtures', 'runtime');

/** Starts `systemd-socket-activate -l 127.0.0.1:PORT node worker ARGS` and waits until it listens. */
async function activated(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ proc: Proc; port: number }> {
  const port = await freePort();
  const proc = startProc('systemd-socket-activate', ['-l', `127.0.0.1:${port}`, process.execPath, workerBin, ...args], {
    env: { ...process.env, ...env },
  });
  await proc.waitFor(/Listening on/);
  return { proc, port };
}

/** Inodes of listening TCP sockets from /proc/net/tcp{,6} (state 0A = LISTEN), by local address "HEXIP:HEXPORT". */
function listeningInodes(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const f of readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))) {
      if (f[3] === '0A' && f[1] && f[9]) out.set(f[9], f[1]);
    }
  }
  return out;
}

test("serves /health on the inherited socket, every request by the one exec'd worker", async (t) => {
  const { proc, port } = await activated(['--name', 'demo']);
  t.after(() => proc.kill());
  const replies = await Promise.all(Array.from({ length: 20 }, () => httpGet(port, '/health')));
  for (const r of replies) {
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as Record<string, unknown>;
    assert.equal(body.status, 'ok');
    assert.equal(body.name, 'demo');
    assert.equal(body.activation, 'systemd');
    assert.equal(body.pid, proc.child.pid, 'systemd-socket-activate execs the worker in place');
    assert.equal(typeof body.uptimeMs, 'number');
    assert.equal(typeof body.version, 'string');
  }
  assert.equal(new Set(replies.map((r) => (JSON.parse(r.body) as { requests: number }).requests)).size, 20);
  await proc.waitFor(/^<6>serving on fd 3 "unknown" 127\.0\.0\.1:\d+ \(systemd activation\)$/); // journal style
  process.kill(proc.child.pid!, 'SIGTERM');
  assert.equal(await proc.exited, 0);
});

test('every inherited fd is served, with its LISTEN_FDNAMES name', async (t) => {
  const [a, b] = [await freePort(), await freePort()];
  const proc = startProc('systemd-socket-activate', [
    '-l',
    `127.0.0.1:${a}`,
    '-l',
    `127.0.0.1:${b}`,
    '--fdname=web:alt',
    process.execPath,
    workerBin,
  ]);
  t.after(() => proc.kill());
  await proc.waitFor(/Listening on .*:\d+ as 4/);
  const [ra, rb] = [await httpGet(a, '/health'), await httpGet(b, '/health')];
  assert.equal((JSON.parse(ra.body) as { pid: number }).pid, (JSON.parse(rb.body) as { pid: number }).pid);
  await proc.waitFor(new RegExp(`^<6>serving on fd 3 "web" 127\\.0\\.0\\.1:${a}, fd 4 "alt" 127\\.0\\.0\\.1:${b} `));
});

test('a child the worker spawns sees no LISTEN_* and no listening socket', async (t) => {
  const { proc, port } = await activated(['--app', join(fixtures, 'app-router.js')]);
  t.after(() => proc.kill());
  for (const path of ['/child', '/child?owned=1']) {
    const r = await httpGet(port, path);
    assert.equal(r.status, 200, r.body);
    const child = JSON.parse(r.body) as { env: string[]; fds: string[] };
    assert.deepEqual(child.env, [], `${path}: no LISTEN_* or INITSOCK_ACTIVATION in the child's environment`);
    const listening = listeningInodes();
    const ours = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
    assert.ok([...listening.values()].includes(ours), "the worker's socket is listening (so the check below can fail)");
    const held = child.fds
      .map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1])
      .filter((i) => i !== undefined && listening.has(i));
    assert.deepEqual(
      held,
      [],
      `${path}: the child holds listening socket(s) ${held.map((i) => listening.get(i!)).join(' ')}`,
    );
  }
  const hello = await httpGet(port, '/hello');
  assert.deepEqual(JSON.parse(hello.body), { hello: 'router' });
});

test('--app factory gets the context; an unusable --app exits 78 with a clear line', async (t) => {
  const { proc, port } = await activated(['--app', join(fixtures, 'app-factory.js'), '--name', 'fac']);
  t.after(() => proc.kill());
  assert.deepEqual(JSON.parse((await httpGet(port, '/hello')).body), { hello: 'factory', name: 'fac' });
  assert.equal((await httpGet(port, '/health')).status, 200, "/health stays the worker's own");
  const bad = await activated(['--app', join(fixtures, 'app-bad.js')]);
  t.after(() => bad.proc.kill());
  assert.equal((await httpGet(bad.port, '/x')).status, 500);
  assert.equal(await bad.proc.exited, 78);
  assert.ok(
    bad.proc.lines.some((l) => /^<3>.*INVALID_VALUE: --app .*app-bad\.js exports/.test(l)),
    bad.proc.lines.join('\n'),
  );
});

test('with --app, /health waits for the app and answers 503 when it cannot load (so install verify fails)', async (t) => {
  const bad = await activated(['--app', join(fixtures, 'app-bad.js')]);
  t.after(() => bad.proc.kill());
  const health = await httpGet(bad.port, '/health'); // the very first request: the app has not been loaded yet
  assert.equal(health.status, 503, health.body);
  assert.equal((JSON.parse(health.body) as { status: string }).status, 'error');
  assert.equal(await bad.proc.exited, 78);
  const good = await activated(['--app', join(fixtures, 'app-router.js')]);
  t.after(() => good.proc.kill());
  assert.equal((await httpGet(good.port, '/health')).status, 200);
});

test('not activated and no --listen: exit 78 with the log line', async () => {
  const env = { ...process.env };
  delete env.LISTEN_PID;
  delete env.JOURNAL_STREAM;
  const proc = startProc(process.execPath, [workerBin], { env });
  assert.equal(await proc.exited, 78);
  assert.ok(
    proc.lines.some((l) =>
      /error .*NOT_ACTIVATED: this worker was not socket-activated.*--listen 127\.0\.0\.1:PORT/.test(l),
    ),
    proc.lines.join('\n'),
  );
});

test('bad config exits 78 naming the option', async () => {
  const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    [['--idle-timeout', 'soon'], {}, /--idle-timeout "soon" is not a duration/],
    [[], { INITSOCK_LOG_LEVEL: 'loud' }, /--log-level "loud" is not a level/],
    [['--bogus'], {}, /BAD_USAGE: .*--bogus/],
    [['--listen', '127.0.0.1'], {}, /--listen "127\.0\.0\.1" is not HOST:PORT/],
    [['--listen', '0.0.0.0:1'], {}, /NOT_LOOPBACK: refusing to listen/],
    [['--name', 'a b', '--listen', '127.0.0.1:0'], {}, /--name "a b" is not a valid name/],
    [
      ['--token-file', '/nonexistent/token', '--listen', '127.0.0.1:0'],
      {},
      /BAD_TOKEN_FILE: cannot use the token file \/nonexistent\/token: it does not exist/,
    ],
  ];
  for (const [args, env, re] of cases) {
    const proc = startProc(process.execPath, [workerBin, ...args], { env: { PATH: process.env.PATH, ...env } });
    assert.equal(await proc.exited, 78, args.join(' '));
    assert.ok(
      proc.lines.some((l) => re.test(l)),
      `${args.join(' ')}: ${proc.lines.join('\n')}`,
    );
  }
});

test('--listen binds the port itself (development) and a flag wins over the environment', async (t) => {
  const port = await freePort();
  const proc = startProc(process.execPath, [workerBin, '--listen', `127.0.0.1:${port}`], {
    env: { PATH: process.env.PATH, INITSOCK_LISTEN: '127.0.0.1:1', INITSOCK_NAME: 'from-env' },
  });
  t.after(() => proc.kill());
  await proc.waitFor(/serving on/);
  const body = JSON.parse((await httpGet(port, '/health')).body) as Record<string, unknown>;
  assert.equal(body.activation, 'listen');
  assert.equal(body.name, 'from-env');
  process.kill(proc.child.pid!, 'SIGINT');
  assert.equal(await proc.exited, 0);
});
