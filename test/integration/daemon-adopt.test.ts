// install-service --adopt against a real systemd --user (the box): daemons that bind their own port (node, bun, a uvicorn.run
// console script) take the inherited socket through initsock's preload, unchanged; and bun behind --proxy-port.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CommandResult } from '../../src/exec/runner.js';
import { bunBin } from '../helpers/bun.js';
import { distDir, installCli, repoRoot } from '../helpers/paths.js';
import { freeBoxPort, getJson, replyPid, unitProps, useBox, type Box } from './box/index.js';

const boxes = useBox();
const bindsPort = join(distDir, 'test', 'fixtures', 'daemons', 'binds-port.js');
const serveApp = join(repoRoot, 'test', 'fixtures', 'daemons', 'serve_app.py');

function cli(box: Box, name: string, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, '--name', name, ...args], { env: box.userEnv, timeoutMs: 90_000 });
}

const mainPid = async (box: Box, name: string): Promise<number> =>
  Number((await unitProps(box, `${name}.service`, 'MainPID')).MainPID);

/** Installs `name` with `args` on a fresh port, checks the program itself answers `path` on it, then uninstalls. */
async function adopts(
  box: Box,
  name: string,
  path: string,
  command: (port: number) => string[],
  extra: string[] = [],
): Promise<void> {
  const port = await freeBoxPort(box);
  const r = await cli(
    box,
    name,
    'install',
    '--port',
    String(port),
    '--health-path',
    path,
    ...extra,
    '--adopt',
    '--',
    ...command(port),
  );
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  const reply = await getJson(box, port, path);
  assert.equal(replyPid(reply), await mainPid(box, name), 'the daemon itself serves the inherited socket');
  assert.equal((await unitProps(box, `${name}.service`, 'NRestarts')).NRestarts, '0');
  assert.equal((await cli(box, name, 'uninstall')).code, 0);
}

test('--adopt: a node daemon that probes and binds its port (the loop of --exec) takes the socket', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  await adopts(box, 'adopt-node', '/api/health', (port) => ['node', bindsPort, String(port)]);
});

test('--adopt: the same daemon under bun (BUN_OPTIONS --preload)', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!bunBin) return t.skip('bun is not installed (scripts/test-deps.sh installs @oven/bun-linux-x64 on linux x64)');
  await adopts(box, 'adopt-bun', '/api/health', (port) => [bunBin as string, bindsPort, String(port)]);
});

test('--adopt: a console script calling uvicorn.run(port=...) is told python by its #! line and takes the socket', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if ((await box.exec(['/usr/bin/python3', '-c', 'import uvicorn'])).code !== 0)
    return t.skip('python3-uvicorn is not installed (scripts/test-deps.sh)');
  await adopts(box, 'adopt-py', '/api/health', (port) => [serveApp, String(port)], [
    '--env',
    'PYTHONDONTWRITEBYTECODE=1',
  ]);
});

test('--proxy-port: a bun daemon behind the worker', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  if (!bunBin) return t.skip('bun is not installed (scripts/test-deps.sh installs @oven/bun-linux-x64 on linux x64)');
  const [port, inner] = [await freeBoxPort(box), await freeBoxPort(box)];
  const r = await cli(
    box,
    'proxy-bun',
    'install',
    '--port',
    String(port),
    '--health-path',
    '/api/health',
    '--proxy-port',
    String(inner),
    '--',
    bunBin,
    bindsPort,
    String(inner),
  );
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  const reply = await getJson(box, port, '/api/health');
  assert.equal(reply.body.runtime, 'bun');
  assert.notEqual(replyPid(reply), await mainPid(box, 'proxy-bun'));
  assert.equal((await cli(box, 'proxy-bun', 'uninstall')).code, 0);
});
