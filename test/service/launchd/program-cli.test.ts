// install-service --proxy-port and --exec on a pretend Mac: the plist the CLI writes is RUN by the launchd emulator, and the program answers through its socket.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { distDir, scratchDir, workerBin } from '../../helpers/paths.js';
import { freePort } from '../../install/harness.js';
import { LaunchdEmulator } from './emulator.js';
import { macCli } from './mac-cli.js';

const home = scratchDir('launchd-program');
const emu = new LaunchdEmulator(501, home);
after(async () => {
  await emu.shutdown();
  rmSync(home, { recursive: true, force: true });
});
const skip =
  !(existsSync('/usr/bin/systemd-socket-activate') && existsSync(workerBin)) &&
  'needs systemd-socket-activate and a built worker';
const daemon = (name: string): string => join(distDir, 'test', 'fixtures', 'daemons', `${name}.js`);

const cli = (...args: string[]) => macCli(emu, home, args);

const plistArgs = (label: string): string[] => {
  const text = readFileSync(join(home, 'Library', 'LaunchAgents', `${label}.plist`), 'utf8');
  const args = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(text)?.[1] ?? '';
  return [...args.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1] as string);
};

test('--proxy-port: the worker from the plist runs the daemon as its child and passes the request to it', {
  skip,
}, async () => {
  const [port, inner] = [await freePort(), await freePort()];
  const r = await cli(
    'install',
    '--name',
    'lp',
    '--port',
    String(port),
    '--health-path',
    '/api/health',
    '--proxy-port',
    String(inner),
    '--',
    process.execPath,
    daemon('binds-port'),
    String(inner),
  );
  assert.equal(r.code, 0, r.err);
  const args = plistArgs('com.initsock.lp');
  assert.deepEqual(args.slice(args.indexOf('--proxy-port')), [
    '--proxy-port',
    String(inner),
    '--proxy-health',
    '/api/health',
    '--proxy-health-status',
    '200-299',
    '--',
    process.execPath,
    daemon('binds-port'),
    String(inner),
  ]);
  const body = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { path: string; runtime: string };
  assert.deepEqual([body.path, body.runtime], ['/api/health', 'node'], 'the daemon answered, through the worker');
  assert.equal(JSON.parse((await cli('status', '--name', 'lp', '--json')).out).state, 'running');
  assert.equal((await cli('uninstall', '--name', 'lp')).code, 0);
});

test('--exec: ProgramArguments is the command alone; install warns what launchd needs from it', { skip }, async () => {
  const port = await freePort();
  const r = await cli(
    'install',
    '--name',
    'le',
    '--port',
    String(port),
    '--exec',
    '--',
    process.execPath,
    daemon('takes-fd'),
  );
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.err,
    /on launchd, --exec only works for a program that takes its socket itself with launch_activate_socket/,
  );
  assert.deepEqual(plistArgs('com.initsock.le'), [process.execPath, daemon('takes-fd')]);
  // The emulator hands the socket over as LISTEN_FDS, which this fixture takes: the plist's command, environment and folders ran.
  assert.equal(((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { status: string }).status, 'ok');
  assert.equal((await cli('uninstall', '--name', 'le')).code, 0);
});
