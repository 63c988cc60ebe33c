// install-service --entry with a worker built on serve(), in the real systemd box: verify passes with no /health of its
// own, the token and Host are enforced, --idle-timeout is honoured; an entry that opts out of the guard is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandResult } from '../../src/exec/runner.js';
import { installCli } from '../helpers/paths.js';
import { boxFixture, freeBoxPort, pollUntil, unitProps, useBox, type Box } from '../integration/box/index.js';

const boxes = useBox();
const entry = boxFixture('serve-entry');

function cli(box: Box, name: string, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, ...args, '--name', name], { env: box.userEnv, timeoutMs: 60_000 });
}

async function curl(box: Box, port: number, path: string, ...headers: string[]): Promise<string> {
  const h = headers.flatMap((x) => ['-H', x]);
  return (
    await box.exec(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', ...h, `http://127.0.0.1:${port}${path}`])
  ).stdout;
}

test('a serve() entry installs, passes verify, enforces its token and Host, and exits after --idle-timeout', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  const r = await cli(
    box,
    'own',
    'install',
    '--entry',
    entry,
    '--port',
    String(port),
    '--idle-timeout',
    '5s',
    '--env',
    'INITSOCK_ALLOW_OTHER_USERS=1',
  );
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  const token = (await box.exec(['cat', `${box.home}/.config/initsock/own/token`])).stdout.trim();
  assert.equal(await curl(box, port, '/data'), '401');
  assert.equal(await curl(box, port, '/data', `Authorization: Bearer ${token}`), '200');
  assert.equal(await curl(box, port, '/data', `Authorization: Bearer ${token}`, 'Host: evil.example'), '403');
  assert.equal(await curl(box, port, '/health'), '200');
  // Another local user (uid/gid 4242: no account, no files, no groups), with the accept-time owner check turned off
  // for this service: the token alone still keeps them out.
  const stranger = await box.exec([
    'setpriv',
    '--reuid',
    '4242',
    '--regid',
    '4242',
    '--clear-groups',
    'curl',
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    `http://127.0.0.1:${port}/data`,
  ]);
  assert.equal(
    stranger.stdout,
    '401',
    `another user reached the serve() worker: ${stranger.stdout} ${stranger.stderr}`,
  );
  const running = await unitProps(box, 'own.service', 'ActiveState', 'MainPID');
  assert.equal(running.ActiveState, 'active', box.logs());
  const started = Date.now();
  await pollUntil(
    'the serve() worker to exit after its 5 s idle timeout',
    async () => (await unitProps(box, 'own.service', 'ActiveState')).ActiveState === 'inactive' || undefined,
    { timeoutMs: 30_000 },
  );
  assert.ok(
    Date.now() - started >= 4000,
    `the worker exited ${Date.now() - started} ms after the last request, before its idle timeout`,
  );
  t.after(() => cli(box, 'own', 'uninstall'));
});

test('an entry that opts out of the guard is refused: install says how to enable it and leaves nothing installed', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  const r = await cli(box, 'open', 'install', '--entry', entry, '--port', String(port), '--env', 'UNGUARDED=1');
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /does not enforce it: GET \/initsock-guard-check without the token answered 404, not 401/);
  assert.match(r.stderr, /serve\(\) from initsock/);
  assert.equal((await unitProps(box, 'open.socket', 'LoadState')).LoadState, 'not-found');
});

/**
 * The journal entries of a service at `priority` or more severe, message text only. By its syslog identifier (the
 * service name): the box's user manager runs in a system unit, so journald records no _SYSTEMD_USER_UNIT.
 */
async function journal(box: Box, name: string, priority: string): Promise<string[]> {
  const r = await box.exec(['journalctl', '--no-pager', '-o', 'cat', `SYSLOG_IDENTIFIER=${name}`, '-p', priority]);
  return r.stdout.split('\n').filter(Boolean);
}

test('journald: every line of a route error and of console.error is at err, console.warn at warning', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  const r = await cli(box, 'logs', 'install', '--entry', entry, '--port', String(port), '--no-token');
  assert.equal(r.code, 0, r.stderr);
  t.after(() => cli(box, 'logs', 'uninstall'));
  assert.equal(await curl(box, port, '/fail'), '500');
  assert.equal(await curl(box, port, '/console'), '200');
  const errors = await pollUntil(
    'the error lines in the journal',
    async () => {
      const lines = await journal(box, 'logs', 'err');
      return lines.some((l) => l.includes('console.error line two')) ? lines : undefined;
    },
    { timeoutMs: 10_000, describe: () => box.logs(30) },
  );
  assert.ok(
    errors.some((l) => /GET "\/fail" failed: Error: first line of the failure/.test(l)),
    errors.join('\n'),
  );
  assert.ok(errors.includes('second line of the failure'), errors.join('\n'));
  assert.ok(
    errors.some((l) => /^\s+at /.test(l)),
    `the stack trace is not at err: ${errors.join('\n')}`,
  );
  assert.ok(errors.includes('app console.error line one'), errors.join('\n'));
  assert.ok(!errors.some((l) => l.includes('console.warn')), 'a warning was logged at err');
  assert.ok((await journal(box, 'logs', 'warning')).includes('app console.warn line'));
});
