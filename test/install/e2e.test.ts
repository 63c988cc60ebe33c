// End to end against a real systemd --user (the box): install, 200 first connections → one worker, status, idle exit,
// re-install (unchanged, then a new port), uninstall. The CLI runs inside the box with the box user's HOME/XDG_RUNTIME_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from '../../src/exec/runner.js';
import type { ServiceStatus } from '../../src/service/types.js';
import { installCli } from '../helpers/paths.js';
import { freeBoxPort, pollUntil, runNode, unitProps, useBox, type Box } from '../integration/box/index.js';

const boxes = useBox();
const NAME = 'e2e-worker';
const here = (file: string): string => new URL(file, import.meta.url).pathname;

/** install-service inside the box, as the box user. */
function cli(box: Box, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, ...args, '--name', NAME], { env: box.userEnv, timeoutMs: 60_000 });
}

async function status(box: Box): Promise<ServiceStatus> {
  const r = await cli(box, 'status', '--json');
  const st = JSON.parse(r.stdout) as ServiceStatus;
  const expected = ['listening', 'running'].includes(st.state) ? 0 : st.state === 'not-installed' ? 4 : 1;
  assert.equal(r.code, expected, `status exits ${expected} when ${st.state}: ${r.stderr}`);
  return st;
}

async function burst(box: Box, port: number, n: number): Promise<{ ok: number; pids: number[]; errors: string[] }> {
  const r = await runNode(box, here('./burst-client.js'), ['127.0.0.1', String(port), String(n)], {
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { ok: number; pids: number[]; errors: string[] };
}

async function portState(box: Box, port: number): Promise<string> {
  return (await runNode(box, here('./port-probe-client.js'), ['127.0.0.1', String(port)])).stdout;
}

const unitDir = (box: Box): string => join(box.home, '.config', 'systemd', 'user');

test('fresh install → 200 first connections, one worker → running → idle exit → listening', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  const r = await cli(box, 'install', '--port', String(port), '--idle-timeout', '5s');
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  assert.match(r.stdout, new RegExp(`${NAME}: installed; the worker answers on 127\\.0\\.0\\.1:${port}`));
  assert.ok(existsSync(join(unitDir(box), `${NAME}.socket`)) && existsSync(join(unitDir(box), `${NAME}.service`)));

  // install's verify step started a worker; stop it so the burst below really is the first traffic.
  assert.equal((await box.systemctlUser('stop', `${NAME}.service`)).code, 0);
  assert.equal((await status(box)).state, 'listening');
  const b = await burst(box, port, 200);
  assert.deepEqual(b.errors, []);
  assert.equal(b.ok, 200);
  assert.equal(b.pids.length, 1, `200 concurrent first connections were answered by ${b.pids.length} workers`);

  const running = await status(box);
  assert.equal(running.state, 'running');
  assert.equal(running.pid, b.pids[0]);
  assert.equal(running.port, port);
  assert.equal((running.health as { status: string }).status, 'ok');
  assert.equal(typeof running.uptimeMs, 'number');

  // The worker exits on its own after 5 s idle; the socket stays.
  await pollUntil(
    'the worker to exit when idle',
    async () =>
      (await unitProps(box, `${NAME}.service`, 'ActiveState')).ActiveState === 'inactive' ? true : undefined,
    { timeoutMs: 20_000 },
  );
  const idle = await status(box);
  assert.equal(idle.state, 'listening');
  assert.equal(idle.pid, null);
  const text = await cli(box, 'status');
  assert.match(text.stdout, new RegExp(`listening on 127\\.0\\.0\\.1:${port}, no worker running`));
});

test('re-install: same options change nothing; a new port moves the socket; uninstall leaves nothing', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const old = (await status(box)).port as number;
  const same = await cli(box, 'install', '--port', String(old), '--idle-timeout', '5s');
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /already installed, nothing changed/);

  const port = await freeBoxPort(box);
  const moved = await cli(box, 'install', '--port', String(port), '--idle-timeout', '5s');
  assert.equal(moved.code, 0, `${moved.stderr}\n${box.logs()}`);
  assert.match(moved.stdout, new RegExp(`socket moved from 127\\.0\\.0\\.1:${old} to 127\\.0\\.0\\.1:${port}`));
  assert.equal((await unitProps(box, `${NAME}.socket`, 'Listen')).Listen, `127.0.0.1:${port} (Stream)`);
  assert.equal(await portState(box, old), 'closed');
  assert.equal((await burst(box, port, 5)).ok, 5);

  const gone = await cli(box, 'uninstall');
  assert.equal(gone.code, 0, gone.stderr);
  assert.match(gone.stdout, new RegExp(`uninstalled; port ${port} is free`));
  assert.deepEqual(
    readdirSync(unitDir(box)).filter((f) => f.startsWith(NAME)),
    [],
  );
  assert.equal(await portState(box, port), 'closed');
  assert.equal((await unitProps(box, `${NAME}.socket`, 'LoadState')).LoadState, 'not-found');
  assert.equal((await status(box)).state, 'not-installed');

  const twice = await cli(box, 'uninstall');
  assert.equal(twice.code, 0, twice.stderr);
  assert.match(twice.stdout, /not installed, nothing to do/);
});

test('migration: a hook-spawned daemon holds the port → install names it and refuses; --takeover replaces it', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  const daemon = box.spawn([
    process.execPath,
    '-e',
    `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'))`,
    'old-hook-daemon',
  ]);
  const exited = new Promise((resolve) => daemon.once('exit', resolve));
  await new Promise((resolve) => daemon.stdout.once('data', resolve));

  const refused = await cli(box, 'install', '--port', String(port), '--idle-timeout', '5s');
  assert.equal(refused.code, 2, 'refused before anything changed');
  assert.match(
    refused.stderr,
    new RegExp(`port 127\\.0\\.0\\.1:${port} is already in use by pid \\d+ \\(.*old-hook-daemon\\)`),
  );
  assert.equal(existsSync(join(unitDir(box), `${NAME}.socket`)), false);

  const taken = await cli(box, 'install', '--port', String(port), '--idle-timeout', '5s', '--takeover');
  assert.equal(taken.code, 0, `${taken.stderr}\n${box.logs()}`);
  await exited; // nsenter exits with the daemon it ran
  assert.equal((await status(box)).state, 'running');
  assert.equal((await cli(box, 'uninstall')).code, 0);
});

test('two install-service runs at once (different ports) end with one consistent installation', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'e2e-race';
  const [a, b] = [await freeBoxPort(box), await freeBoxPort(box)];
  const run = (port: number) =>
    box.exec(
      [process.execPath, installCli, 'install', '--name', name, '--port', String(port), '--idle-timeout', '5s'],
      { env: box.userEnv, timeoutMs: 90_000 },
    );
  const results = await Promise.all([run(a), run(b)]);
  for (const r of results) assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  // Both succeeded, one after the other (the lock): the last one's port is the installation, in both unit files and in systemd.
  const listen = (await unitProps(box, `${name}.socket`, 'Listen')).Listen ?? '';
  const winner = listen.includes(`:${b}`) ? b : a;
  const loser = winner === a ? b : a;
  assert.match(listen, new RegExp(`127\\.0\\.0\\.1:${winner} \\(Stream\\)`));
  assert.match(
    readFileSync(join(unitDir(box), `${name}.socket`), 'utf8'),
    new RegExp(`^ListenStream=127\\.0\\.0\\.1:${winner}$`, 'm'),
  );
  assert.equal(await portState(box, loser), 'closed', 'the other port was released');
  const s = JSON.parse(
    (await box.exec([process.execPath, installCli, 'status', '--json', '--name', name], { env: box.userEnv })).stdout,
  ) as ServiceStatus;
  assert.equal(s.port, winner);
  assert.ok(s.state === 'running' || s.state === 'listening', s.state);
  assert.deepEqual(
    readdirSync(unitDir(box)).filter((f) => f.startsWith(name) && !/\.(socket|service)$/.test(f)),
    [],
    'no temporary or half-written files',
  );
  assert.equal(
    (await box.exec([process.execPath, installCli, 'uninstall', '--name', name], { env: box.userEnv })).code,
    0,
  );
});
