// install-service on a pretend Mac: the real CLI, the rendered plist RUN by a launchd emulator, /health through the socket.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../helpers/net.js';
import { scratchDir, workerBin } from '../../helpers/paths.js';
import { LaunchdEmulator } from './emulator.js';
import { macCli } from './mac-cli.js';

const home = scratchDir('launchd-cli');
const emu = new LaunchdEmulator(501, home);
after(async () => {
  await emu.shutdown();
  rmSync(home, { recursive: true, force: true });
});

const LABEL = 'com.initsock.lw';
const plist = join(home, 'Library', 'LaunchAgents', `${LABEL}.plist`);
const haveTools = existsSync('/usr/bin/systemd-socket-activate') && existsSync(workerBin);
const skip = !haveTools && 'needs systemd-socket-activate and a built worker (npm run build)';

/** Runs install-service as a macOS user would, with launchctl answered by the emulator. */
const cli = (name: string, ...args: string[]) => macCli(emu, home, [...args, '--name', name]);

const T = `gui/501/${LABEL}`;

test('install → status → move the port → uninstall, with the worker really started from the plist', {
  skip,
}, async () => {
  const port = await freePort();
  const first = await cli('lw', 'install', '--port', String(port));
  assert.equal(first.code, 0, first.err);
  // gui domain check; is the label loaded from another plist (ownership)?; status (does a new token need a running
  // worker restarted?); bootout-if-loaded check; then load, and the load's own check; verify may read the status again
  // between tries (has the job failed?), nothing more.
  assert.deepEqual(emu.calls.slice(0, 8), [
    `launchctl print gui/501`,
    `launchctl print ${T}`,
    `launchctl print ${T}`,
    `launchctl print ${T}`,
    `launchctl print ${T}`,
    `launchctl enable ${T}`,
    `launchctl bootstrap gui/501 ${plist}`,
    `launchctl print ${T}`,
  ]);
  assert.deepEqual(
    emu.calls.slice(8).filter((c) => c !== `launchctl print ${T}`),
    [],
    'verify only reads the job state',
  );
  const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { name: string; status: string };
  assert.deepEqual([health.status, health.name], ['ok', 'lw'], 'the worker runs with the flags the plist gave it');
  assert.match(
    readFileSync(join(home, 'Library', 'Logs', 'lw', 'stderr.log'), 'utf8'),
    /Execing \/\S+\/node /,
    'launchd output went to StandardErrorPath',
  );

  const status = await cli('lw', 'status', '--port', String(port), '--json');
  assert.equal(status.code, 0, status.err);
  assert.equal(JSON.parse(status.out).state, 'running');

  emu.calls.length = 0;
  const port2 = await freePort();
  const moved = await cli('lw', 'install', '--port', String(port2));
  assert.equal(moved.code, 0, moved.err);
  assert.ok(emu.calls.includes(`launchctl bootout ${T}`), 'the old job is booted out first');
  assert.match(readFileSync(plist, 'utf8'), new RegExp(`<string>${port2}</string>`));

  const gone = await cli('lw', 'uninstall');
  assert.equal(gone.code, 0, gone.err);
  assert.ok(!existsSync(plist));
  await assert.rejects(fetch(`http://127.0.0.1:${port2}/health`), 'nothing listens after uninstall');
});

test('an idle timeout shorter than ThrottleInterval is refused before anything is written (exit 2)', {
  skip,
}, async () => {
  emu.calls.length = 0;
  const r = await cli('short', 'install', '--idle-timeout', '5s');
  assert.equal(r.code, 2);
  assert.match(r.err, /ThrottleInterval/);
  assert.ok(!existsSync(join(home, 'Library', 'LaunchAgents', 'com.initsock.short.plist')));
  assert.ok(!emu.calls.some((c) => /bootstrap|bootout|enable/.test(c)));
});

test('a worker that cannot start fails /health: install rolls back (bootout, plist removed) and exits 1', {
  skip,
}, async () => {
  const entry = join(home, 'broken-worker.mjs');
  writeFileSync(entry, "console.error('this worker cannot start'); process.exit(1);\n");
  emu.calls.length = 0;
  const r = await cli('broken', 'install', '--port', String(await freePort()), '--entry', entry);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /Rolled back/);
  assert.ok(!existsSync(join(home, 'Library', 'LaunchAgents', 'com.initsock.broken.plist')));
  assert.equal(emu.calls.filter((c) => c.startsWith('launchctl bootout gui/501/com.initsock.broken')).length, 1);
  assert.match(
    readFileSync(join(home, 'Library', 'Logs', 'broken', 'stderr.log'), 'utf8'),
    /this worker cannot start/,
    'the cause is in the log launchd wrote',
  );
});

test('a --node that cannot load koffi is refused before anything is written (exit 2), naming the fix', {
  skip,
}, async () => {
  emu.calls.length = 0;
  const node = join(home, 'x64-node');
  // A node (it reports its version) whose koffi package lacks this architecture's binary.
  writeFileSync(
    node,
    '#!/bin/sh\nif [ "$1" = -p ]; then echo 22.1.0; exit 0; fi\n' +
      'echo "Error: Cannot find module \'@koromix/koffi-darwin-x64\'" >&2\nexit 1\n',
    { mode: 0o755 },
  );
  const r = await cli('rosetta', 'install', '--node', node);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /cannot load koffi.*Cannot find module '@koromix\/koffi-darwin-x64'.*Pass --node/);
  assert.ok(!existsSync(join(home, 'Library', 'LaunchAgents', 'com.initsock.rosetta.plist')));
  assert.ok(!emu.calls.some((c) => /bootstrap|bootout|enable/.test(c)));
});

test('a label launchd already loads from another plist is refused (exit 2) by install and uninstall, and stays loaded', {
  skip,
}, async () => {
  const first = await cli('elsewhere', 'install', '--port', String(await freePort()));
  assert.equal(first.code, 0, first.err);
  const ours = join(home, 'Library', 'LaunchAgents', 'com.initsock.elsewhere.plist');
  const other = join(home, 'other-agent.plist');
  writeFileSync(other, readFileSync(ours, 'utf8').replace(/<!-- initsock LaunchAgent[^\n]*\n/, ''));
  assert.equal((await emu.run(['launchctl', 'bootout', 'gui/501/com.initsock.elsewhere'])).code, 0);
  rmSync(ours);
  assert.equal((await emu.run(['launchctl', 'bootstrap', 'gui/501', other])).code, 0);
  emu.calls.length = 0;
  for (const verb of ['install', 'uninstall']) {
    const r = await cli('elsewhere', verb);
    assert.equal(r.code, 2, r.err);
    assert.match(
      r.err,
      new RegExp(
        `refusing to ${verb} elsewhere: it is not an initsock service: ${other.replace(/[.]/g, '\\.')} \\(launchd already has com\\.initsock\\.elsewhere loaded from there`,
      ),
    );
  }
  assert.ok(!existsSync(ours), 'nothing written over it');
  assert.ok(!emu.calls.some((c) => /bootstrap|bootout|enable/.test(c)), 'the other job was left alone');
  assert.equal((await emu.run(['launchctl', 'bootout', 'gui/501/com.initsock.elsewhere'])).code, 0);
});
