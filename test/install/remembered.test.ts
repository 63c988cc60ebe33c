// Remembered settings against the recording systemd: a re-run starts from the record, --reset goes back, hand edits are refused.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRecord, recordPath } from '../../src/service/record.js';
import { freePort, Harness, NAME } from './harness.js';

const SVC = `${NAME}.service`;

/** A harness with an app module in its folder (the fake manager never imports it; the unit names it). */
function setup(t: { after(fn: () => void): void }): { h: Harness; app: string } {
  const h = new Harness();
  t.after(() => h.cleanup());
  const app = join(h.dir, 'app.mjs');
  writeFileSync(app, 'export default (req, res) => res.end("hi");\n');
  return { h, app };
}

const unit = (h: Harness): string => readFileSync(join(h.unitDir, SVC), 'utf8');

test('a bare re-run keeps --app, --env and --port, and says nothing changed', async (t) => {
  const { h, app } = setup(t);
  const port = String(await freePort());
  assert.equal((await h.cli(['--app', './app.mjs', '--env', 'GREETING=hi', '--port', port])).code, 0);
  const installed = unit(h);
  const again = await h.cli([]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /already installed, nothing changed/);
  assert.equal(unit(h), installed);
  assert.match(installed, /GREETING=hi/);
  assert.ok(installed.includes(app), 'the unit names the app by its absolute path');
  const record = readRecord(NAME, { HOME: h.home }, h.home);
  assert.deepEqual(record?.options, { app, env: ['GREETING=hi'], port });
  assert.equal(record?.files.length, 2);
});

test('a flag given changes only what it names, and the report says what changed', async (t) => {
  const { h } = setup(t);
  const [p1, p2] = [String(await freePort()), String(await freePort())];
  assert.equal((await h.cli(['--app', './app.mjs', '--env', 'GREETING=hi', '--port', p1])).code, 0);
  const moved = await h.cli(['--port', p2]);
  assert.equal(moved.code, 0, moved.err);
  assert.match(moved.out, new RegExp(`setting --port ${p1} → ${p2}`));
  assert.match(unit(h), /GREETING=hi/);
  assert.match(unit(h), /app\.mjs/);
  assert.equal(h.fake.listen?.port, Number(p2));
});

test('--reset goes back to the defaults on purpose: the app and env are dropped', async (t) => {
  const { h, app } = setup(t);
  const [p1, p2] = [String(await freePort()), String(await freePort())];
  assert.equal((await h.cli(['--app', './app.mjs', '--env', 'GREETING=hi', '--port', p1])).code, 0);
  const reset = await h.cli(['--reset', '--port', p2]);
  assert.equal(reset.code, 0, reset.err);
  assert.match(reset.out, new RegExp(`setting --app ${app} → none`));
  assert.doesNotMatch(unit(h), /GREETING|app\.mjs/);
  assert.deepEqual(readRecord(NAME, { HOME: h.home }, h.home)?.options, { port: p2 });
});

test('print and --dry-run show the change as a diff against the installed files and settings', async (t) => {
  const { h, app } = setup(t);
  const port = String(await freePort());
  assert.equal((await h.cli(['--app', './app.mjs', '--port', port])).code, 0);
  const before = unit(h);
  for (const args of [
    ['print', '--reset', '--port', port],
    ['--dry-run', '--reset', '--port', port],
  ]) {
    const r = await h.cli(args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`settings \\(against .*service\\.json\\):\\n  --app ${app} → none\\n`));
    assert.match(r.out, new RegExp(`--- .*${SVC} \\(mode 0644, changed\\)\\n(.*\\n)*- .*app\\.mjs`));
    assert.match(
      r.out,
      new RegExp(`--- .*${NAME}\\.socket \\(mode 0644, unchanged\\)\\n\\n`),
      'an unchanged file is one line',
    );
    assert.ok(
      r.out.split('\n').length < before.split('\n').length + 25,
      'the changed file is shown as a diff, not whole',
    );
  }
  assert.equal(unit(h), before, 'print and --dry-run change nothing');
  assert.match((await h.cli(['print'])).out, /settings: as installed/);
});

test('a unit edited by hand is reported and not overwritten without --overwrite-edited', async (t) => {
  const { h } = setup(t);
  const [p1, p2] = [String(await freePort()), String(await freePort())];
  assert.equal((await h.cli(['--port', p1])).code, 0);
  appendFileSync(join(h.unitDir, SVC), 'Nice=5\n');
  const edited = unit(h);
  for (const args of [[], ['--port', p2]]) {
    const r = await h.cli(args);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(
      r.err,
      new RegExp(`${SVC} was edited since install-service wrote it .*systemctl --user edit ${SVC}.*--overwrite-edited`),
    );
    assert.equal(unit(h), edited, 'nothing was overwritten');
  }
  assert.match((await h.cli(['print'])).out, /EDITED BY HAND[^\n]*\n(.*\n)*- Nice=5/);
  const forced = await h.cli(['--port', p2, '--overwrite-edited']);
  assert.equal(forced.code, 0, forced.err);
  assert.doesNotMatch(unit(h), /Nice=5/);
});

test('uninstall removes the record with the service; a bad record stops install (exit 2) but not uninstall', async (t) => {
  const { h } = setup(t);
  const port = String(await freePort());
  assert.equal((await h.cli(['--port', port])).code, 0);
  const path = recordPath(NAME, { HOME: h.home }, h.home);
  writeFileSync(path, '{"format": 9}', { mode: 0o600 });
  const bad = await h.cli(['--port', port]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /format 9, written by a newer initsock.*--reset/);
  assert.equal((await h.cli(['uninstall'])).code, 0);
  assert.equal(existsSync(path), false);
  assert.equal(existsSync(join(path, '..')), false, 'the service folder goes once empty');
});

test('units installed without a record: a rewriting re-run warns that it starts from the defaults', async (t) => {
  const { h } = setup(t);
  const port = String(await freePort());
  assert.equal((await h.cli(['--app', './app.mjs', '--port', port])).code, 0);
  rmSync(recordPath(NAME, { HOME: h.home }, h.home)); // as an earlier initsock left it
  const r = await h.cli(['--port', port]);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.err,
    /warning: hw was installed without a settings record .*starts from the defaults.*install-service print --name hw/,
  );
  assert.doesNotMatch((await h.cli(['--port', port])).err, /without a settings record/, 'the record now exists');
});
