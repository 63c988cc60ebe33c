// Against a real systemd --user: units install-service did not write (no initsock header, or loaded by the manager from
// another folder) are never overwritten, removed, repaired or restarted (exit 2, nothing changed), and status says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from '../../src/exec/runner.js';
import type { ServiceStatus } from '../../src/service/types.js';
import { installCli } from '../helpers/paths.js';
import { daemonReload, freeBoxPort, unitProps, useBox, writeUserUnit, type Box } from '../integration/box/index.js';

const boxes = useBox();

function cli(box: Box, name: string, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, ...args, '--name', name], { env: box.userEnv, timeoutMs: 60_000 });
}

/** Asserts the run was refused as "not an initsock service", naming `path`, with exit 2. */
function assertRefused(r: CommandResult, verb: string, path: string): void {
  assert.equal(r.code, 2, `${verb}: ${r.stdout}\n${r.stderr}`);
  assert.match(
    r.stderr,
    new RegExp(`refusing to ${verb} .*: it is not an initsock service: ${path.replace(/[.]/g, '\\.')}`),
  );
  assert.match(r.stderr, /Pick another --name, or move that file away.*Nothing was changed\./);
}

test("a user's own backup.service is never overwritten, removed or repaired; status says it is not initsock's", async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const own = '[Unit]\nDescription=my nightly backup\n[Service]\nType=oneshot\nExecStart=/bin/false\n';
  const path = await writeUserUnit(box, 'backup.service', own);
  await box.systemctlUser('start', 'backup.service'); // fails: the unit is now in the failed state, as in real life
  t.after(() => {
    rmSync(path, { force: true });
  });

  assertRefused(await cli(box, 'backup', 'install', '--port', String(await freeBoxPort(box))), 'install', path);
  assertRefused(await cli(box, 'backup', 'uninstall'), 'uninstall', path);
  assertRefused(await cli(box, 'backup', 'repair'), 'repair', path);
  assertRefused(await cli(box, 'backup', 'restart'), 'restart', path);
  assertRefused(await cli(box, 'backup', 'print'), 'install', path);
  assert.equal(readFileSync(path, 'utf8'), own, 'the file is untouched');
  assert.equal(existsSync(join(box.layout.userConfigUnits, 'backup.socket')), false);

  const text = await cli(box, 'backup', 'status');
  assert.equal(text.code, 4, `status of a name that is not initsock's exits as not installed: ${text.stderr}`);
  assert.match(text.stdout, /backup \(systemd\): not an initsock service: .*backup\.service/);
  assert.doesNotMatch(text.stdout, /FAILED|repair/);
  assert.equal((JSON.parse((await cli(box, 'backup', 'status', '--json')).stdout) as ServiceStatus).state, 'foreign');
});

test('a hand-written mylib.socket/mylib.service pair is refused, not planned as "changed"', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  const sock = await writeUserUnit(box, 'mylib.socket', `[Socket]\nListenStream=127.0.0.1:${port}\n`);
  const svc = await writeUserUnit(box, 'mylib.service', '[Service]\nExecStart=/bin/true\n');
  t.after(() => {
    rmSync(sock, { force: true });
    rmSync(svc, { force: true });
  });
  const r = await cli(box, 'mylib', 'install', '--port', String(port));
  assertRefused(r, 'install', sock);
  assert.match(r.stderr, /mylib\.service \(it does not start with "# Written by initsock install-service"\)/);
  assert.equal(readFileSync(sock, 'utf8'), `[Socket]\nListenStream=127.0.0.1:${port}\n`);
  assert.equal(readFileSync(svc, 'utf8'), '[Service]\nExecStart=/bin/true\n');
});

test('a name the user manager loads from another unit folder is refused, and uninstall leaves that socket running', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  // The distribution's folder of the box's user manager (its unit path after ~/.config/systemd/user).
  const path = join(box.layout.userUnits, 'distagent.socket');
  writeFileSync(path, `[Socket]\nListenStream=127.0.0.1:${await freeBoxPort(box)}\n`);
  writeFileSync(join(box.layout.userUnits, 'distagent.service'), '[Service]\nExecStart=/bin/true\n');
  t.after(async () => {
    await box.systemctlUser('stop', 'distagent.socket');
    rmSync(path);
    rmSync(join(box.layout.userUnits, 'distagent.service'));
  });
  await daemonReload(box);
  assert.equal((await box.systemctlUser('start', 'distagent.socket')).code, 0);

  assertRefused(await cli(box, 'distagent', 'install', '--port', String(await freeBoxPort(box))), 'install', path);
  assert.match(
    (await cli(box, 'distagent', 'install')).stderr,
    /the user manager already loads distagent\.socket from there/,
  );
  assertRefused(await cli(box, 'distagent', 'uninstall'), 'uninstall', path);
  assert.equal(
    existsSync(join(box.layout.userConfigUnits, 'distagent.socket')),
    false,
    'nothing shadows the distribution unit',
  );
  assert.equal(
    (await unitProps(box, 'distagent.socket', 'ActiveState')).ActiveState,
    'active',
    'the socket was left running',
  );
  assert.match(
    (await cli(box, 'distagent', 'status')).stdout,
    /distagent \(systemd\): not an initsock service: .*distagent\.socket/,
  );
});

test('uninstall lists what it leaves behind on purpose: the drop-in folder and the journal', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'own-dropins';
  const r = await cli(box, name, 'install', '--port', String(await freeBoxPort(box)), '--no-token');
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  const dropIns = join(box.layout.userConfigUnits, `${name}.service.d`);
  mkdirSync(dropIns);
  writeFileSync(join(dropIns, 'override.conf'), '[Service]\nEnvironment=MINE=1\n');
  t.after(() => rmSync(dropIns, { recursive: true, force: true }));

  const gone = await cli(box, name, 'uninstall');
  assert.equal(gone.code, 0, gone.stderr);
  assert.match(
    gone.stdout,
    new RegExp(
      `left in place on purpose:\\n  - ${dropIns}/ \\(your drop-ins; a later install with this name picks them up again`,
    ),
  );
  assert.match(
    gone.stdout,
    new RegExp(`  - the worker's log in the journal \\(journalctl --user -u ${name}\\.service`),
  );
  assert.equal(readFileSync(join(dropIns, 'override.conf'), 'utf8'), '[Service]\nEnvironment=MINE=1\n');
  const json = JSON.parse((await cli(box, name, 'uninstall', '--json')).stdout) as { leftBehind: string[] };
  assert.deepEqual(json.leftBehind, [], 'a second uninstall removed nothing, so it reports nothing left behind');
});

test('a unit of ours whose mark was edited away is still ours by the settings record: the edited-by-hand rule applies', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'own-unmarked';
  const args = ['install', '--port', String(await freeBoxPort(box)), '--no-token'];
  assert.equal((await cli(box, name, ...args)).code, 0);
  const unit = join(box.layout.userConfigUnits, `${name}.service`);
  writeFileSync(unit, readFileSync(unit, 'utf8').split('\n').slice(3).join('\n')); // the three header lines removed
  const r = await cli(box, name, ...args, '--idle-timeout', '6min');
  assert.equal(r.code, 2, r.stderr);
  assert.doesNotMatch(r.stderr, /not an initsock service/);
  assert.match(r.stderr, /--overwrite-edited/);
  assert.equal((await cli(box, name, ...args, '--idle-timeout', '6min', '--overwrite-edited')).code, 0);
  assert.equal((await cli(box, name, 'uninstall')).code, 0);
});
