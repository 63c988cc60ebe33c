// install-service end to end in-process: exit 3 without a manager, status states, repair, port conflicts, --takeover, --linger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { freePort, Harness, NAME } from './harness.js';

test('no usable user manager → exit 3 with the reason, nothing written', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  rmSync(join(h.root, 'run/systemd'), { recursive: true });
  for (const cmd of ['install', 'status', 'uninstall', 'repair']) {
    const r = await h.cli([cmd]);
    assert.equal(r.code, 3, `${cmd}: ${r.err}`);
    assert.match(r.err, /cannot use the systemd user manager: systemd is not the init system here/);
  }
  assert.deepEqual(h.unitFiles(), []);
  const print = await h.cli(['print']);
  assert.equal(print.code, 0, 'print still works, as a fresh install');
  assert.match(print.out, /as a fresh install/);
});

test('status: not installed → listening → running (pid, uptime, health) → failed (reason and fix)', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const port = await freePort();
  /** The status as JSON without its details (files, token, logs), which the status tests check on their own. */
  const json = async () => {
    const r = await h.cli(['status', '--json']);
    const { details: _details, exitCode, ...st } = JSON.parse(r.out) as Record<string, unknown>;
    assert.equal(exitCode, r.code, 'the JSON names the exit code');
    return st;
  };
  assert.deepEqual(await json(), {
    name: NAME,
    init: 'systemd',
    state: 'not-installed',
    pid: null,
    port: null,
    host: null,
  });
  assert.match(
    (await h.cli(['status'])).out,
    /hw \(systemd\): not installed\. Install it with: install-service install --name hw/,
  );
  assert.equal((await h.cli(['--port', String(port)])).code, 0);
  h.fake.service.active = false; // the worker exited when idle
  assert.deepEqual(await json(), {
    name: NAME,
    init: 'systemd',
    state: 'listening',
    pid: null,
    port,
    host: '127.0.0.1',
  });
  h.fake.service.active = true;
  const running = await json();
  assert.equal(running.state, 'running');
  assert.equal(running.pid, process.pid);
  assert.deepEqual(running.health, { status: 'ok', name: NAME, pid: process.pid });
  h.fake.socket.failed = true;
  const failed = await h.cli(['status']);
  assert.match(failed.out, /hw \(systemd\): FAILED: hw\.socket failed .*\n {2}fix: install-service repair --name hw/);
});

test('repair: reset-failed, restart the socket, then verify', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  assert.match((await h.cli(['repair'])).err, /nothing to repair: hw is not installed/);
  const port = await freePort();
  assert.equal((await h.cli(['--port', String(port)])).code, 0);
  h.fake.socket.failed = true;
  await h.fake.close();
  h.fake.calls.length = 0;
  const r = await h.cli(['repair']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(h.fake.actions, [`reset-failed ${NAME}.socket ${NAME}.service`, `restart ${NAME}.socket`]);
  assert.match(r.out, /hw: repaired \(was failed: hw\.socket failed .*\); now running/);
});

/** A process that holds a port (it ignores SIGTERM when `stubborn`), as a hook-spawned daemon would. */
async function holder(port: number, stubborn: boolean): Promise<{ pid: number; exited: Promise<unknown> }> {
  const code = `${stubborn ? "process.on('SIGTERM',()=>{});" : ''}require('net').createServer().listen(${port},'127.0.0.1',()=>console.log('up'))`;
  const child = spawn(process.execPath, ['-e', code, 'old-daemon'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  await once(child.stdout, 'data');
  return { pid: child.pid as number, exited };
}

test('port held by another process: refused with its pid and command line; nothing written', async (t) => {
  const h = new Harness();
  const port = await freePort();
  const other = await holder(port, false);
  t.after(async () => {
    process.kill(other.pid, 'SIGKILL');
    await other.exited;
    await h.cleanup();
  });
  const r = await h.cli(['--port', String(port)]);
  assert.equal(r.code, 2, 'a validation problem: nothing was changed');
  assert.match(
    r.err,
    new RegExp(
      `port 127\\.0\\.0\\.1:${port} is already in use by pid ${other.pid} \\(.*-e .* old-daemon\\)\\. .*pass --takeover`,
    ),
  );
  assert.deepEqual(h.unitFiles(), []);
  assert.deepEqual(h.fake.actions, []);
});

for (const stubborn of [false, true]) {
  test(`--takeover stops the holder (${stubborn ? 'ignores SIGTERM → SIGKILL' : 'SIGTERM'}) and installs in its place`, async (t) => {
    const h = new Harness();
    t.after(() => h.cleanup());
    const port = await freePort();
    const other = await holder(port, stubborn);
    const r = await h.cli(['--port', String(port), '--takeover'], { takeoverGraceMs: 300 });
    assert.equal(r.code, 0, r.err);
    const [code, signal] = (await other.exited) as [number | null, string | null];
    assert.equal(signal, stubborn ? 'SIGKILL' : 'SIGTERM', `exit ${code}`);
    assert.match(r.out, new RegExp(`stop pid ${other.pid} .*holding port ${port}`));
    assert.equal(h.fake.listening, `127.0.0.1:${port}`);
  });
}

test('--linger adds `loginctl enable-linger` (with its undo) unless lingering is already on', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const dry = await h.cli(['--dry-run', '--linger', '--port', String(await freePort())]);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /\d\. run: loginctl enable-linger {2}# keeps your user manager/);
  assert.match(dry.out, /run: loginctl disable-linger/);
  assert.doesNotMatch(dry.err, /lingering is off/, 'no warning when --linger is given');
  const plain = await h.cli(['--dry-run', '--port', String(await freePort())]);
  assert.match(plain.err, /warning: lingering is off: .* Pass --linger/);
  mkdirSync(join(h.root, 'var/lib/systemd/linger'), { recursive: true });
  writeFileSync(join(h.root, 'var/lib/systemd/linger/tester'), '');
  const on = await h.cli(['--dry-run', '--linger', '--port', String(await freePort())]);
  assert.doesNotMatch(on.out, /loginctl/);
});

test('--json errors carry the code and the exit code', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const r = await h.cli(['--json', '--port', '0']);
  assert.equal(r.code, 2);
  assert.deepEqual(JSON.parse(r.out).error.code, 'INVALID_VALUE');
  assert.equal(JSON.parse(r.out).error.exitCode, 2);
});

test('--help prints the usage and every option', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const r = await h.cli(['--help']);
  assert.equal(r.code, 0);
  for (const opt of [
    '--name',
    '--port',
    '--host',
    '--entry',
    '--app',
    '--node',
    '--idle-timeout',
    '--env',
    '--working-dir',
    '--linger',
    '--takeover',
    '--dry-run',
    '--json',
    '--init',
    '--label',
    '--tasks-max',
    '--memory-max',
  ]) {
    assert.ok(r.out.includes(opt), opt);
  }
});

test('two installs of one service at once: the second waits for the first, and one consistent installation results', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const [p1, p2] = [await freePort(), await freePort()];
  const real = { sleep: (ms: number) => delay(ms) };
  const [a, b] = await Promise.all([
    h.cli(['--port', String(p1), '--env', `RUN=${p1}`], real),
    h.cli(['--port', String(p2), '--env', `RUN=${p2}`], real),
  ]);
  assert.equal(a.code, 0, a.err);
  assert.equal(b.code, 0, b.err);
  assert.match(a.err + b.err, /waiting for another install-service run \(pid \d+\) on hw to finish/);
  const socket = readFileSync(join(h.unitDir, `${NAME}.socket`), 'utf8');
  const service = readFileSync(join(h.unitDir, `${NAME}.service`), 'utf8');
  const port = /^ListenStream=127\.0\.0\.1:(\d+)$/m.exec(socket)?.[1];
  assert.match(service, new RegExp(`^Environment="RUN=${port}"$`, 'm'), 'socket and service come from the same run');
  assert.equal(h.fake.listening, `127.0.0.1:${port}`);
  assert.deepEqual(readdirSync(join(h.runtime, 'initsock')), [], 'the lock is released');
});

test('print --init launchd works on Linux: the plist and the launchctl commands, nothing asked or changed', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const before = h.snapshot();
  const r = await h.cli(['print', '--init', 'launchd', '--port', '38123']);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    new RegExp(`--- ${join(h.home, 'Library/LaunchAgents/com.initsock.hw.plist')} \\(mode 0644, new\\)`),
  );
  assert.match(r.out, /<key>SockServiceName<\/key>\s*<string>38123<\/string>/);
  assert.match(r.out, /launchctl bootstrap gui\/1000 /);
  assert.deepEqual(h.fake.calls, [], 'no command was run');
  assert.deepEqual(h.snapshot(), before);
});

test('print --init launchd --json lists the launchctl commands as argv, as it does systemctl ones for systemd', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const argvs = async (init: string): Promise<string[][]> => {
    const r = await h.cli(['print', '--init', init, '--port', '38124', '--json']);
    assert.equal(r.code, 0, r.err);
    const steps = (JSON.parse(r.out) as { steps: Array<{ argv?: string[]; commands?: string[][] }> }).steps;
    return steps.flatMap((s) => (s.argv ? [s.argv] : (s.commands ?? [])));
  };
  const launchctl = (await argvs('launchd')).filter((a) => a[0] === 'launchctl').map((a) => a.slice(0, 2).join(' '));
  assert.deepEqual(
    [...new Set(launchctl)],
    ['launchctl enable', 'launchctl bootstrap', 'launchctl print', 'launchctl bootout'],
  );
  assert.deepEqual(h.fake.calls, [], 'no command was run for the launchd plan');
  assert.ok((await argvs('systemd')).some((a) => a.join(' ') === 'systemctl --user daemon-reload'));
});

test('repair of a healthy service restarts nothing, but recreates a missing token', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  assert.equal((await h.cli(['--port', String(await freePort())])).code, 0);
  h.fake.calls.length = 0;
  const ok = await h.cli(['repair']);
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(h.fake.actions, []);
  assert.match(ok.out, /nothing to repair; it is running and answers \/health/);
  const token = join(h.home, '.config', 'initsock', NAME, 'token');
  rmSync(token);
  const fixed = await h.cli(['repair']);
  assert.equal(fixed.code, 0, fixed.err);
  assert.match(readFileSync(token, 'utf8'), /^[A-Za-z0-9_-]{43}\n$/);
  assert.deepEqual(h.fake.actions, [`stop ${NAME}.service`], 'the running worker read the old token: it is replaced');
  assert.match(fixed.out, /repaired \(was running\)/);
});
