// status exit codes and details, restart, list and logs against the recording systemd (the box tests run them for real).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { freePort, Harness, NAME } from './harness.js';

function setup(t: { after(fn: () => void | Promise<void>): void }): Harness {
  const h = new Harness();
  t.after(async () => {
    await h.fake.close();
    h.cleanup();
  });
  return h;
}

test('status exits 0 up, 1 failed or token missing (with the fix), 4 not installed; it names files, record, token and logs', async (t) => {
  const h = setup(t);
  assert.equal((await h.cli(['status'])).code, 4);
  const port = await freePort();
  assert.equal((await h.cli(['--port', String(port)])).code, 0);
  h.fake.service.active = false;
  const up = await h.cli(['status']);
  assert.equal(up.code, 0, up.out);
  const token = join(h.home, '.config', 'initsock', NAME, 'token');
  assert.match(up.out, new RegExp(`files: ${h.unitDir}/${NAME}\\.socket, ${h.unitDir}/${NAME}\\.service\\n`));
  assert.match(up.out, /settings: .*initsock\/hw\/service\.json\n/);
  assert.match(up.out, new RegExp(`token: ${token}\\n`));
  assert.match(up.out, /logs: install-service logs --name hw {3}\(journalctl --user -u hw\.service -n 50 --no-pager\)/);
  rmSync(token);
  const missing = await h.cli(['status']);
  assert.equal(missing.code, 1);
  assert.match(missing.out, /token: MISSING: .*\n {4}fix: install-service repair --name hw/);
  assert.equal(JSON.parse((await h.cli(['status', '--json'])).out).details.token.state, 'missing');
  h.fake.socket.failed = true;
  assert.equal((await h.cli(['status'])).code, 1);
});

test('restart replaces a running worker (stop the service, then /health through the socket); nothing to do when none runs', async (t) => {
  const h = setup(t);
  assert.equal((await h.cli(['restart'])).code, 2, 'not installed');
  const port = await freePort();
  assert.equal((await h.cli(['--port', String(port)])).code, 0);
  h.fake.calls.length = 0;
  const r = await h.cli(['restart']);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    new RegExp(`hw: restarted; worker pid ${process.pid} → ${process.pid} on 127\\.0\\.0\\.1:${port}`),
  );
  assert.deepEqual(h.fake.actions, ['stop hw.service']);
  h.fake.service.active = false;
  const idle = await h.cli(['restart']);
  assert.match(idle.out, /no worker was running; the next connection/);
  assert.deepEqual(h.fake.actions, ['stop hw.service'], 'nothing was stopped');
  h.fake.socket.failed = true;
  const failed = await h.cli(['restart']);
  assert.equal(failed.code, 1);
  assert.match(failed.err, /cannot be restarted: .*install-service repair --name hw/);
});

test('list shows each service with state, address, pid and installed version', async (t) => {
  const h = setup(t);
  assert.match((await h.cli(['list'])).out, /no initsock services installed/);
  const port = await freePort();
  assert.equal((await h.cli(['--port', String(port)])).code, 0);
  const text = await h.cli(['list']);
  assert.equal(text.code, 0, text.err);
  assert.match(
    text.out,
    new RegExp(`^NAME +STATE +ADDRESS +PID +VERSION\\nhw +running +127\\.0\\.0\\.1:${port} +${process.pid} +`),
  );
  const [row] = JSON.parse((await h.cli(['list', '--json'])).out) as Array<Record<string, unknown>>;
  assert.deepEqual(
    { ...row, running: undefined },
    {
      name: NAME,
      state: 'running',
      address: `127.0.0.1:${port}`,
      pid: process.pid,
      running: undefined,
      installed: (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version,
    },
  );
});

test('logs runs journalctl for an installed service, tail of the fallback log otherwise, and exits 4 when there is none', async (t) => {
  const h = setup(t);
  const ran: string[][] = [];
  const stream = async (argv: string[]): Promise<number> => {
    ran.push(argv);
    return 0;
  };
  assert.equal((await h.cli(['logs'], { stream })).code, 4);
  const log = join(h.home, '.local', 'state', 'initsock', NAME, 'worker.log');
  mkdirSync(join(log, '..'), { recursive: true });
  writeFileSync(log, 'a line\n');
  assert.equal((await h.cli(['logs', '-n', '5'], { stream })).code, 0);
  assert.deepEqual(ran.pop(), ['tail', '-n', '5', log]);
  assert.equal((await h.cli(['--port', String(await freePort())])).code, 0);
  assert.equal((await h.cli(['logs', '-f'], { stream })).code, 0);
  assert.deepEqual(ran.pop(), ['journalctl', '--user', '-u', 'hw.service', '-n', '50', '--no-pager', '-f']);
  const bad = await h.cli(['logs', '-n', 'lots'], { stream });
  assert.equal(bad.code, 2);
  assert.match(bad.err, /-n\/--lines "lots" is not a line count/);
});
