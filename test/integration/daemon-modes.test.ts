// install-service's program modes against a real systemd --user (the box): --exec of a daemon that takes fd 3 and of
// uvicorn --fd 3, --proxy-port in front of a daemon that binds its own port, and the "exits 0 without taking the socket" loop.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CommandResult } from '../../src/exec/runner.js';
import type { ServiceStatus } from '../../src/service/types.js';
import { distDir, installCli, repoRoot } from '../helpers/paths.js';
import {
  freeBoxPort,
  getJson,
  installWorker,
  pollUntil,
  removeWorker,
  replyPid,
  unitProps,
  useBox,
  type Box,
} from './box/index.js';

const boxes = useBox();
const daemon = (name: string): string => join(distDir, 'test', 'fixtures', 'daemons', `${name}.js`);
const pyFixtures = join(repoRoot, 'test', 'fixtures', 'daemons');

/** install-service inside the box, as the box user. */
function cli(box: Box, name: string, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, '--name', name, ...args], { env: box.userEnv, timeoutMs: 90_000 });
}

/** `status --json`; its exit code must be the one it reports (0 up, 1 needs a fix, 4 not installed). */
async function status(box: Box, name: string, ...args: string[]): Promise<ServiceStatus & { exitCode: number }> {
  const r = await cli(box, name, 'status', '--json', ...args);
  const st = JSON.parse(r.stdout) as ServiceStatus & { exitCode: number };
  assert.equal(r.code, st.exitCode, r.stderr);
  return st;
}

const mainPid = async (box: Box, name: string): Promise<number> =>
  Number((await unitProps(box, `${name}.service`, 'MainPID')).MainPID);

test('--exec: a daemon that takes fd 3 itself runs unchanged as the service, without a token; status and uninstall', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  const r = await cli(box, 'fd-daemon', 'install', '--port', String(port), '--exec', '--', 'node', daemon('takes-fd'));
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  assert.match(r.stdout, new RegExp(`fd-daemon: installed; your program answers on 127\\.0\\.0\\.1:${port}`));
  assert.match(r.stderr, /no token is created and the program's own routes .* are unprotected/);
  const reply = await getJson(box, port, '/health');
  assert.equal(
    replyPid(reply),
    await mainPid(box, 'fd-daemon'),
    'the program itself is the service, not a worker in front',
  );
  assert.equal(existsSync(join(box.home, '.config', 'initsock', 'fd-daemon', 'token')), false);
  const st = await status(box, 'fd-daemon');
  assert.equal(st.state, 'running');
  assert.equal(st.exitCode, 0, 'up: a program without a token is not a missing token');
  assert.equal((st.health as { status: string }).status, 'ok');
  assert.equal((await cli(box, 'fd-daemon', 'uninstall')).code, 0);
  assert.equal((await status(box, 'fd-daemon')).state, 'not-installed');
});

test('--exec: uvicorn --fd 3 serves an ASGI app on the socket; verify asks its own /api/health', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if ((await box.exec(['/usr/bin/python3', '-c', 'import uvicorn'])).code !== 0)
    return t.skip('python3-uvicorn is not installed (scripts/test-deps.sh)');
  const port = await freeBoxPort(box);
  const r = await cli(
    box,
    'asgi',
    'install',
    '--port',
    String(port),
    '--health-path',
    '/api/health',
    '--env',
    'PYTHONDONTWRITEBYTECODE=1',
    '--exec',
    '--',
    '/usr/bin/python3',
    '-m',
    'uvicorn',
    '--app-dir',
    pyFixtures,
    'asgi_app:app',
    '--fd',
    '3',
  );
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  assert.match(r.stderr, /verify: GET http:\/\/127\.0\.0\.1:\d+\/api\/health answers HTTP 2xx/);
  assert.equal(replyPid(await getJson(box, port, '/api/health')), await mainPid(box, 'asgi'));
  assert.equal((await status(box, 'asgi')).state, 'running');
  assert.equal((await cli(box, 'asgi', 'uninstall')).code, 0);
});

test('--exec of a daemon that binds its own port: install fails fast with the diagnosis and leaves nothing', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  const r = await cli(
    box,
    'binder',
    'install',
    '--port',
    String(port),
    '--health-path',
    '/api/health',
    '--exec',
    '--',
    'node',
    daemon('binds-port'),
    String(port),
  );
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /stopped waiting early: the program exited 0 without taking the socket: it binds the port itself; use --adopt or --proxy-port/,
  );
  assert.doesNotMatch(r.stderr, /within 30s/, 'it did not wait out the budget');
  assert.match(r.stderr, /Rolled back/);
  assert.equal(existsSync(join(box.home, '.config', 'systemd', 'user', 'binder.service')), false);
});

test('the same loop, installed and left running: the start limit stops it, and status reports it failed with the diagnosis', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  // One start every ~3 s (claude-mem's pace): too slow for the worker's 15 s crash window, caught by the program's longer one.
  const worker = await installWorker(box, {
    name: 'looper',
    port,
    node: process.execPath,
    program: { mode: 'exec', argv: [process.execPath, daemon('binds-port'), String(port), '3000'] },
  });
  const hook = box.spawn([
    process.execPath,
    '-e',
    `require('net').connect(${port}, '127.0.0.1'); process.stdin.resume()`,
  ]);
  try {
    // Before the start limit ends it, status already sees connections wait while the service keeps starting.
    const early = await pollUntil(
      'status to see the loop',
      async () => {
        const st = await status(box, 'looper');
        return st.state === 'failed' ? st : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    assert.match(
      early.reason ?? '',
      /^the program exited 0 without taking the socket: .*connections? wait in the socket's queue while the service keeps starting/,
    );
    assert.equal(early.exitCode, 1);
    assert.notEqual(
      (await unitProps(box, 'looper.socket', 'ActiveState')).ActiveState,
      'failed',
      'seen before the start limit',
    );
    // Then the start limit (which counts clean exits) fails the socket, and status says why.
    await pollUntil(
      'the loop to hit the start limit',
      async () => ((await unitProps(box, 'looper.socket', 'ActiveState')).ActiveState === 'failed' ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    const failed = await status(box, 'looper');
    assert.match(
      failed.reason ?? '',
      /^the program exited 0 without taking the socket: it binds the port itself; use --adopt or --proxy-port \(looper\.socket failed/,
    );
    assert.match(failed.fix ?? '', /install-service install --name looper --adopt -- CMD ARG…/);
    assert.equal(failed.exitCode, 1);
    assert.match((await cli(box, 'looper', 'status')).stdout, /looper \(systemd\): FAILED: the program exited 0/);
  } finally {
    hook.stdin?.end();
    await removeWorker(box, worker);
  }
});

test('--proxy-port: the worker owns the socket and passes connections to the daemon on its private port', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const [port, inner] = [await freeBoxPort(box), await freeBoxPort(box)];
  const r = await cli(
    box,
    'proxied',
    'install',
    '--port',
    String(port),
    '--health-path',
    '/api/health',
    '--proxy-port',
    String(inner),
    '--',
    'node',
    daemon('binds-port'),
    String(inner),
  );
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  assert.match(
    r.stderr,
    /--proxy-port checks the Host and Origin of every request .* it checks no token, so none is created\. The worker refuses connections from other local users/,
  );
  const reply = await getJson(box, port, '/api/health');
  assert.equal(reply.body.path, '/api/health');
  assert.notEqual(replyPid(reply), await mainPid(box, 'proxied'), 'the daemon answers, behind the worker');
  assert.equal((await status(box, 'proxied')).state, 'running');
  assert.equal((await cli(box, 'proxied', 'uninstall')).code, 0);
});
