// Against a real systemd --user whose unit folder is a tiny tmpfs: a unit file that does not fit is never cut short and
// loaded; install fails with WRITE_FAILED, the previous files stay byte for byte, and a fresh install leaves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandResult } from '../../src/exec/runner.js';
import { installCli } from '../helpers/paths.js';
import { freeBoxPort, getJson, unitProps, useBox, type Box } from '../integration/box/index.js';

const boxes = useBox();
// Far more than one 4 KiB page: the service file then needs pages the filesystem no longer has.
const BIG = `BIG=${'x'.repeat(6000)}`;

function cli(box: Box, name: string, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, ...args, '--name', name], { env: box.userEnv, timeoutMs: 60_000 });
}

/** Mounts a tmpfs of `size` over the box's unit folder (inside the box only); unmounted when the test ends. */
async function tinyUnitDir(box: Box, size: string, t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = box.layout.userConfigUnits;
  const r = await box.exec(['mount', '-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'initsock-full', dir]);
  assert.equal(r.code, 0, r.stderr);
  t.after(async () => {
    await box.exec(['umount', dir]);
    await box.systemctlUser('daemon-reload');
  });
  return dir;
}

const cat = async (box: Box, path: string): Promise<string> => (await box.exec(['cat', path])).stdout;
const ls = async (box: Box, dir: string): Promise<string[]> =>
  (await box.exec(['ls', '-A', dir])).stdout.split('\n').filter(Boolean).sort();

test('a re-install whose service file does not fit fails with WRITE_FAILED and keeps the installed files whole', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const dir = await tinyUnitDir(box, '12k', t); // three pages: the two small units, one page to spare
  const name = 'full-reinstall';
  const port = await freeBoxPort(box);
  const first = await cli(box, name, 'install', '--port', String(port), '--no-token');
  assert.equal(first.code, 0, `${first.stderr}\n${box.logs()}`);
  const before = { socket: await cat(box, `${dir}/${name}.socket`), service: await cat(box, `${dir}/${name}.service`) };

  const r = await cli(box, name, 'install', '--port', String(port), '--no-token', '--env', BIG);
  t.diagnostic(r.stderr.trim());
  assert.equal(r.code, 1, `a write that did not land must fail the install\n${r.stdout}\n${r.stderr}`);
  assert.match(
    r.stderr,
    new RegExp(`cannot write ${dir}/${name}\\.service: .*no space left on device.*the previous file is unchanged`, 'i'),
  );
  assert.match(r.stderr, /Free some space on the filesystem/);
  assert.equal(await cat(box, `${dir}/${name}.service`), before.service, 'the previous service file is intact');
  assert.equal(await cat(box, `${dir}/${name}.socket`), before.socket);
  assert.deepEqual(
    await ls(box, dir),
    [`${name}.service`, `${name}.socket`, 'sockets.target.wants'],
    'no temporary file is left behind',
  );
  assert.equal((await getJson(box, port, '/health')).status, 200, 'the previous installation still answers');
  assert.equal((await cli(box, name, 'uninstall')).code, 0);
});

test('a fresh install whose service file does not fit fails and leaves no unit behind', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const dir = await tinyUnitDir(box, '8k', t);
  const name = 'full-fresh';
  const r = await cli(box, name, 'install', '--port', String(await freeBoxPort(box)), '--no-token', '--env', BIG);
  t.diagnostic(r.stderr.trim());
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, new RegExp(`cannot write ${dir}/${name}\\.service: .*nothing was written`, 'i'));
  assert.deepEqual(
    await ls(box, dir),
    [],
    'the socket file written before it was rolled back, and no temp file remains',
  );
  assert.equal((await unitProps(box, `${name}.service`, 'LoadState')).LoadState, 'not-found');
  assert.equal((await unitProps(box, `${name}.socket`, 'ActiveState')).ActiveState, 'inactive');
});
