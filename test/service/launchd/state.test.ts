// The installed service as the source of truth on a pretend Mac: re-runs from the record, status, list, logs, restart, and the client's address.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '../../../src/client/request.js';
import { freePort } from '../../helpers/net.js';
import { scratchDir, workerBin } from '../../helpers/paths.js';
import { LaunchdEmulator } from './emulator.js';
import { macCli } from './mac-cli.js';

const home = scratchDir('launchd-state');
const emu = new LaunchdEmulator(501, home);
after(async () => {
  await emu.shutdown();
  rmSync(home, { recursive: true, force: true });
});
const skip =
  !(existsSync('/usr/bin/systemd-socket-activate') && existsSync(workerBin)) &&
  'needs systemd-socket-activate and a built worker';
const T = 'gui/501/com.initsock.ls';
const logDir = join(home, 'Library', 'Logs', 'ls');

/** install-service as a macOS user, launchctl answered by the emulator; `ran` collects the commands logs runs. */
const cli = (ran: string[][], ...args: string[]) =>
  macCli(emu, home, [...args, '--name', 'ls'], {
    stream: async (argv) => {
      ran.push(argv);
      return 0;
    },
  });

test('launchd: a bare re-run keeps the port, status/list/logs read the installed job, restart kickstarts it, the client finds it', {
  skip,
}, async () => {
  const ran: string[][] = [];
  const port = await freePort();
  assert.equal((await cli(ran, 'install', '--port', String(port), '--env', 'GREETING=hi')).code, 0);
  const again = await cli(ran);
  assert.equal(again.code, 0, again.err);
  assert.match(
    again.out,
    new RegExp(`ls: already installed, nothing changed; the worker answers on 127\\.0\\.0\\.1:${port}`),
  );

  const status = await cli(ran, 'status');
  assert.equal(status.code, 0, status.out);
  assert.match(status.out, new RegExp(`ls \\(launchd\\): running on 127\\.0\\.0\\.1:${port}`));
  assert.match(status.out, /files: .*Library\/LaunchAgents\/com\.initsock\.ls\.plist\n/);
  assert.match(
    status.out,
    new RegExp(
      `logs: install-service logs --name ls {3}\\(tail -n 50 ${logDir}/worker\\.log ${logDir}/stderr\\.log ${logDir}/stdout\\.log\\)`,
    ),
  );

  const [row] = JSON.parse((await cli(ran, 'list', '--json')).out) as Array<{
    name: string;
    state: string;
    address: string;
    pid: number;
  }>;
  assert.deepEqual([row?.name, row?.state, row?.address], ['ls', 'running', `127.0.0.1:${port}`]);

  assert.equal((await cli(ran, 'logs', '-f', '-n', '5')).code, 0);
  assert.deepEqual(ran.pop(), [
    'tail',
    '-n',
    '5',
    '-F',
    join(logDir, 'worker.log'),
    join(logDir, 'stderr.log'),
    join(logDir, 'stdout.log'),
  ]);

  emu.calls.length = 0;
  const restart = await cli(ran, 'restart');
  assert.equal(restart.code, 0, restart.err);
  assert.ok(emu.calls.includes(`launchctl kickstart -k ${T}`), emu.calls.join('\n'));
  assert.match(restart.out, new RegExp(`restarted; worker pid ${row?.pid} → \\d+`));
  assert.doesNotMatch(restart.out, new RegExp(`pid ${row?.pid} → ${row?.pid} `), 'a new job');

  const res = await request('GET', '/health', { name: 'ls', env: { HOME: home }, fallback: false });
  assert.equal(res.status, 200, 'the client read the port from the plist');
  assert.equal((res.json() as { name: string }).name, 'ls');
  assert.equal((await cli(ran, 'uninstall')).code, 0);
  assert.equal((await cli(ran, 'status')).code, 4);
});

test('launchd: a changed --app makes a bare re-run replace the job by kickstart and say why', { skip }, async () => {
  const ran: string[][] = [];
  const app = join(home, 'versioned.mjs');
  writeFileSync(app, 'export default (req, res) => res.end("v1");\n');
  const port = await freePort();
  assert.equal((await cli(ran, 'install', '--port', String(port), '--app', app)).code, 0);
  writeFileSync(app, 'export default (req, res) => res.end("v2");\n');
  emu.calls.length = 0;
  const rerun = await cli(ran);
  assert.equal(rerun.code, 0, rerun.err);
  assert.match(rerun.out, new RegExp(`replaced the running worker: --app ${app} changed after it started`));
  assert.ok(emu.calls.includes(`launchctl kickstart -k ${T}`), emu.calls.join('\n'));
  const res = await request('GET', '/', { name: 'ls', env: { HOME: home }, fallback: false });
  assert.equal(res.text(), 'v2');
  assert.equal((await cli(ran, 'uninstall')).code, 0);
});
