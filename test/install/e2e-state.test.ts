// The installed service as the source of truth, against a real systemd --user (the box): a re-run keeps what was installed.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CommandResult } from '../../src/exec/runner.js';
import { initsockBin, installCli, repoRoot } from '../helpers/paths.js';
import {
  freeBoxPort,
  getJson,
  pollUntil,
  replyPid,
  startLoadStream,
  useBox,
  type Box,
} from '../integration/box/index.js';

const boxes = useBox();
const NAME = 'state-worker';

/** install-service inside the box, as the box user. */
function cli(box: Box, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, ...args], { env: box.userEnv, timeoutMs: 60_000 });
}

/** `initsock request` inside the box (it reads the service's token file). */
function request(box: Box, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, initsockBin, 'request', ...args], { env: box.userEnv, timeoutMs: 30_000 });
}

test('a bare re-run keeps --app, --env and --port: the app still answers, and nothing changed', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const app = join(box.home, 'greet.mjs');
  writeFileSync(
    app,
    'export default (req, res) => { res.setHeader("content-type", "application/json"); ' +
      'res.end(JSON.stringify({ greeting: process.env.GREETING ?? null, path: req.url })); };\n',
  );
  const port = String(await freeBoxPort(box));
  const first = await cli(box, 'install', '--name', NAME, '--app', app, '--env', 'GREETING=hi', '--port', port);
  assert.equal(first.code, 0, `${first.stderr}\n${box.logs()}`);

  const again = await cli(box, '--name', NAME);
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stdout,
    new RegExp(`${NAME}: already installed, nothing changed; the worker answers on 127\\.0\\.0\\.1:${port}`),
  );
  const greet = await request(box, '--name', NAME, '--port', port, 'GET', '/greet');
  assert.equal(greet.code, 0, greet.stderr);
  assert.deepEqual(JSON.parse(greet.stdout), { greeting: 'hi', path: '/greet' });

  const reset = await cli(box, '--name', NAME, '--reset', '--port', port);
  assert.equal(reset.code, 0, reset.stderr);
  assert.match(reset.stdout, /setting --app .*greet\.mjs → none/);
  assert.match(reset.stdout, /setting --env GREETING=hi → none/);
  const gone = await request(box, '--name', NAME, '--port', port, 'GET', '/greet');
  assert.match(gone.stdout + gone.stderr, /404|not found/i, 'after --reset the default worker has no /greet');
  assert.equal((await cli(box, 'uninstall', '--name', NAME)).code, 0);
});

test('the client finds the installed address by name: a non-default port, then [::1]', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'state-addr';
  const port = String(await freeBoxPort(box));
  for (const host of ['127.0.0.1', '::1']) {
    const r = await cli(box, 'install', '--name', name, '--port', port, '--host', host);
    assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
    const health = await request(box, '--name', name, 'GET', '/health');
    assert.equal(health.code, 0, health.stderr);
    assert.equal(JSON.parse(health.stdout).name, name);
    const who = await box.exec(['ss', '-Htn', 'state', 'listening', `sport = :${port}`]);
    assert.match(who.stdout, host === '::1' ? /\[::1\]/ : /127\.0\.0\.1/, 'the socket listens where it was installed');
  }
  const wrong = await request(box, '--name', name, '--port', '1', '--no-fallback', 'GET', '/health');
  assert.equal(wrong.code, 7);
  assert.match(wrong.stderr, new RegExp(`on \\[::1\\]:1 .*installed on \\[::1\\]:${port} `));
  assert.equal((await cli(box, 'uninstall', '--name', name)).code, 0);
});

test('status exit codes, list, logs and restart under load (no refused connection) on a real manager', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'state-verbs';
  assert.equal((await cli(box, 'status', '--name', name)).code, 4, 'not installed');
  const port = Number(await freeBoxPort(box));
  assert.equal((await cli(box, 'install', '--name', name, '--port', String(port))).code, 0);
  const up = await cli(box, 'status', '--name', name);
  assert.equal(up.code, 0, up.stdout);
  assert.match(
    up.stdout,
    new RegExp(`logs: install-service logs --name ${name} .*journalctl --user -u ${name}\\.service`),
  );

  const list = await cli(box, 'list', '--json');
  assert.equal(list.code, 0, list.stderr);
  const row = (
    JSON.parse(list.stdout) as Array<{ name: string; state: string; address: string; pid: number; running: string }>
  ).find((r) => r.name === name);
  assert.equal(row?.address, `127.0.0.1:${port}`);
  assert.equal(row?.state, 'running', 'install verified /health, which started the worker');
  assert.equal(row?.running, (await getJson(box, port, '/health')).body.version);

  const logs = await cli(box, 'logs', '--name', name, '-n', '20');
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /\S/, "the journal has the worker's lines");
  assert.match(logs.stderr, new RegExp(`^# journalctl --user -u ${name}\\.service -n 20 --no-pager`));

  const before = replyPid(await getJson(box, port, '/health'));
  const stream = startLoadStream(box, port, '/health', 4);
  await pollUntil('the load stream to be answered', async () =>
    Number((await getJson(box, port, '/health')).body.requests) > 20 ? true : undefined,
  );
  const restart = await cli(box, 'restart', '--name', name);
  assert.equal(restart.code, 0, `${restart.stderr}\n${box.logs()}`);
  const after = replyPid(await getJson(box, port, '/health'));
  const summary = await stream.stop();
  assert.match(restart.stdout, new RegExp(`restarted; worker pid ${before} → ${after}`));
  assert.notEqual(after, before, 'restart replaced the worker');
  assert.deepEqual(summary.errors, {}, `connections failed during the restart: ${summary.samples.join('; ')}`);
  assert.deepEqual(Object.keys(summary.statuses), ['200']);
  assert.ok(
    summary.pids[String(before)] && summary.pids[String(after)],
    `both workers answered: ${JSON.stringify(summary.pids)}`,
  );

  assert.equal((await box.systemctlUser('stop', `${name}.socket`)).code, 0);
  assert.equal((await cli(box, 'status', '--name', name)).code, 1, 'a stopped socket needs a fix');
  assert.equal((await cli(box, 'uninstall', '--name', name)).code, 0);
  assert.equal((await cli(box, 'status', '--name', name)).code, 4);
});

/** A second build of this package with another version: the same dist, units and plists, a package.json saying `version`. */
function olderBuild(box: Box, version: string): string {
  const root = join(box.home, `initsock-${version}`);
  mkdirSync(root);
  for (const d of ['dist', 'units', 'plists']) cpSync(join(repoRoot, d), join(root, d), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(root, 'package.json'), JSON.stringify({ ...pkg, version }));
  return join(root, 'dist', 'install', 'cli.js');
}

test('an upgrade: status says what runs and what is installed; a re-run replaces the old worker under load and says so', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'state-upgrade';
  const current = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const oldCli = olderBuild(box, '0.0.1-old');
  const port = Number(await freeBoxPort(box));
  const first = await box.exec([process.execPath, oldCli, 'install', '--name', name, '--port', String(port)], {
    env: box.userEnv,
    timeoutMs: 60_000,
  });
  assert.equal(first.code, 0, `${first.stderr}\n${box.logs()}`);
  assert.equal((await getJson(box, port, '/health')).body.version, '0.0.1-old');

  const status = await cli(box, 'status', '--name', name);
  assert.equal(status.code, 0, 'an old worker still runs and answers');
  assert.match(
    status.stdout,
    new RegExp(
      `OUT OF DATE: running 0\\.0\\.1-old, installed ${current.replace(/\./g, '\\.')} .*\\n    fix: install-service install --name ${name}`,
    ),
  );

  const stream = startLoadStream(box, port, '/health', 4);
  await pollUntil('the load stream to be answered', async () =>
    Number((await getJson(box, port, '/health')).body.requests) > 20 ? true : undefined,
  );
  const upgrade = await cli(box, '--name', name);
  const after = await getJson(box, port, '/health');
  const summary = await stream.stop();
  assert.equal(upgrade.code, 0, `${upgrade.stderr}\n${box.logs()}`);
  assert.match(upgrade.stdout, new RegExp(`upgraded 0\\.0\\.1-old → ${current.replace(/\./g, '\\.')}`));
  assert.equal(after.body.version, current, upgrade.stdout);
  assert.deepEqual(summary.errors, {}, `connections failed during the upgrade: ${summary.samples.join('; ')}`);
  assert.deepEqual(Object.keys(summary.statuses), ['200']);
  assert.match(
    (await cli(box, '--name', name)).stdout,
    /already installed, nothing changed/,
    'once current, a re-run changes nothing',
  );
  assert.equal((await cli(box, 'uninstall', '--name', name)).code, 0);
});

test('a new version of the --app: print shows the replacement, a bare re-run replaces the worker, the new code answers', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'state-app-update';
  const app = join(box.home, 'versioned.mjs');
  const version = (v: string): void =>
    writeFileSync(app, `export default (req, res) => res.end(${JSON.stringify(v)});\n`);
  version('v1');
  const port = String(await freeBoxPort(box));
  assert.equal((await cli(box, 'install', '--name', name, '--app', app, '--port', port)).code, 0);
  assert.equal((await request(box, '--name', name, 'GET', '/')).stdout, 'v1');
  assert.match((await cli(box, '--name', name)).stdout, /already installed, nothing changed/);

  version('v2');
  const status = await cli(box, 'status', '--name', name);
  assert.match(status.stdout, new RegExp(`OUT OF DATE: .*--app ${app} changed after it started`));
  const print = await cli(box, 'print', '--name', name);
  assert.match(
    print.stdout,
    new RegExp(
      `run: systemctl --user stop ${name}\\.service  # the running worker is out of date: --app ${app} changed`,
    ),
  );
  const rerun = await cli(box, '--name', name);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stdout, new RegExp(`replaced the running worker: --app ${app} changed after it started`));
  assert.equal((await request(box, '--name', name, 'GET', '/')).stdout, 'v2');
  assert.equal((await cli(box, 'uninstall', '--name', name)).code, 0);
});
