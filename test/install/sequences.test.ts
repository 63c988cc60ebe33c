// install-service's exact systemctl call sequences (fresh, unchanged, new port, uninstall), through an injected runner
// that keeps unit state and opens a real listener, so the health check really connects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeHealth } from '../../src/service/health.js';
import { freePort, Harness, NAME } from './harness.js';

const S = `${NAME}.socket`;
const SVC = `${NAME}.service`;

test('fresh install: write, daemon-reload, enable, start; then verify over the real socket', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const port = await freePort();
  const r = await h.cli(['install', '--port', String(port)]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(h.fake.actions, ['daemon-reload', `enable ${S}`, `start ${S}`]);
  assert.deepEqual(h.unitFiles(), [SVC, S]);
  assert.match(readFileSync(join(h.unitDir, S), 'utf8'), new RegExp(`^ListenStream=127\\.0\\.0\\.1:${port}$`, 'm'));
  assert.match(r.out, /installed; the worker answers on 127\.0\.0\.1:\d+/);
  assert.match(r.out, /write .*hw\.socket/);
  assert.equal((await probeHealth('127.0.0.1', port)).status, 'ok');
});

test('re-install with the same options changes nothing and says so', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const port = String(await freePort());
  assert.equal((await h.cli(['--port', port])).code, 0);
  const before = h.snapshot();
  h.fake.calls.length = 0;
  const r = await h.cli(['install', '--port', port]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(h.fake.actions, [], 'no mutating systemctl call');
  assert.deepEqual(h.snapshot(), before);
  assert.match(r.out, /already installed, nothing changed/);
});

test('re-install with a new port rewrites, reloads, then stops the old worker and restarts the socket', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const [p1, p2] = [await freePort(), await freePort()];
  assert.equal((await h.cli(['--port', String(p1)])).code, 0);
  h.fake.calls.length = 0;
  const r = await h.cli(['--port', String(p2)]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(h.fake.actions, ['daemon-reload', `stop ${SVC}`, `restart ${S}`]);
  assert.equal(h.fake.listening, `127.0.0.1:${p2}`);
  assert.match(r.out, new RegExp(`moved from 127\\.0\\.0\\.1:${p1} to 127\\.0\\.0\\.1:${p2}`));
  assert.match(readFileSync(join(h.unitDir, S), 'utf8'), new RegExp(`:${p2}$`, 'm'));
});

test('uninstall stops, disables, removes, reloads, and is safe to run twice', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const port = String(await freePort());
  assert.equal((await h.cli(['--port', port])).code, 0);
  h.fake.calls.length = 0;
  const r = await h.cli(['uninstall']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(h.fake.actions, [`stop ${S} ${SVC}`, `disable ${S}`, 'daemon-reload']);
  assert.deepEqual(h.unitFiles(), []);
  assert.match(r.out, new RegExp(`uninstalled; port ${port} is free`));
  h.fake.calls.length = 0;
  const again = await h.cli(['uninstall']);
  assert.equal(again.code, 0, again.err);
  assert.deepEqual(h.fake.actions, []);
  assert.match(again.out, /not installed, nothing to do/);
});

test("never touches the user's drop-ins (NAME.service.d/)", async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(join(h.unitDir, `${SVC}.d`), { recursive: true });
  writeFileSync(join(h.unitDir, `${SVC}.d`, 'override.conf'), '[Service]\nEnvironment=MINE=1\n');
  const port = String(await freePort());
  assert.equal((await h.cli(['--port', port])).code, 0);
  assert.equal((await h.cli(['uninstall'])).code, 0);
  assert.equal(readFileSync(join(h.unitDir, `${SVC}.d`, 'override.conf'), 'utf8'), '[Service]\nEnvironment=MINE=1\n');
});

test('--dry-run and print show every file and command and change nothing', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const port = String(await freePort());
  for (const args of [
    ['install', '--dry-run', '--port', port],
    ['print', '--port', port],
  ]) {
    const before = h.snapshot();
    const r = await h.cli(args);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(h.snapshot(), before);
    assert.deepEqual(h.fake.actions, []);
    assert.match(r.out, new RegExp(`--- ${join(h.unitDir, S)} \\(mode 0644, new\\)\\n`));
    assert.match(r.out, /\[Socket\][\s\S]*ListenStream=/);
    assert.match(r.out, /ExecStart=/);
    assert.match(
      r.out,
      /run: systemctl --user daemon-reload\n.*run: systemctl --user enable hw\.socket.*\n.*run: systemctl --user start hw\.socket/,
    );
  }
  const json = JSON.parse((await h.cli(['print', '--json', '--port', port])).out);
  assert.deepEqual(
    json.steps.filter((s: { argv?: string[] }) => s.argv).map((s: { argv: string[] }) => s.argv.join(' ')),
    ['systemctl --user daemon-reload', `systemctl --user enable ${S}`, `systemctl --user start ${S}`],
  );
});

test('re-install with a new --env reloads, then stops the old worker, but keeps the socket listening', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const port = String(await freePort());
  assert.equal((await h.cli(['--port', port])).code, 0);
  h.fake.calls.length = 0;
  const r = await h.cli(['--port', port, '--env', 'MODE=new']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(h.fake.actions, ['daemon-reload', `stop ${SVC}`]);
  assert.match(readFileSync(join(h.unitDir, SVC), 'utf8'), /^Environment="MODE=new"$/m);
});

test('the bearer token: created 0600 in a 0700 folder and passed to the worker; kept on re-install; removed on uninstall', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const { statSync, existsSync } = await import('node:fs');
  const token = join(h.home, '.config', 'initsock', NAME, 'token');
  const port = String(await freePort());
  assert.equal((await h.cli(['--port', port])).code, 0);
  assert.equal(statSync(token).mode & 0o777, 0o600);
  assert.equal(statSync(join(token, '..')).mode & 0o777, 0o700);
  assert.match(readFileSync(token, 'utf8'), /^[A-Za-z0-9_-]{43}\n$/);
  assert.match(readFileSync(join(h.unitDir, SVC), 'utf8'), new RegExp(`"--token-file" "${token}"`));
  const first = readFileSync(token, 'utf8');
  assert.match((await h.cli(['--port', port])).out, /already installed, nothing changed/);
  assert.equal(readFileSync(token, 'utf8'), first, 'the token is kept');
  assert.equal((await h.cli(['uninstall'])).code, 0);
  assert.equal(existsSync(token), false);
  assert.equal(existsSync(join(token, '..')), false);
});

test('--no-token: no token file and no --token-file for the worker', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  assert.equal((await h.cli(['--port', String(await freePort()), '--no-token'])).code, 0);
  assert.doesNotMatch(readFileSync(join(h.unitDir, SVC), 'utf8'), /token-file/);
  const folder = join(h.home, '.config', 'initsock', NAME);
  assert.deepEqual(readdirSync(folder), ['service.json'], 'the folder holds the settings record and no token');
});
