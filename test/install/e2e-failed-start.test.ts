// Against a real systemd --user: a worker that fails at start-up ends install's health check at once, with the worker's
// own error from the journal, and the rollback leaves no failed state behind, so status tells the truth about what is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandResult } from '../../src/exec/runner.js';
import type { ServiceStatus } from '../../src/service/types.js';
import { installCli } from '../helpers/paths.js';
import { freeBoxPort, getJson, unitProps, useBox, type Box } from '../integration/box/index.js';

const boxes = useBox();
const throwingApp = new URL('./throwing-app.js', import.meta.url).pathname;

function cli(box: Box, name: string, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, ...args, '--name', name], { env: box.userEnv, timeoutMs: 90_000 });
}

test('a re-install whose app throws at load stops verifying at once, quotes the error, and status says the old one is back', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'fails-at-start';
  const port = await freeBoxPort(box);
  const first = await cli(box, name, 'install', '--port', String(port), '--no-token');
  assert.equal(first.code, 0, `${first.stderr}\n${box.logs()}`);

  const r = await cli(box, name, 'install', '--port', String(port), '--no-token', '--app', throwingApp);
  t.diagnostic(r.stderr.trim());
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `did not answer GET http://127\\.0\\.0\\.1:${port}/health .*, and stopped waiting early: ${name}\\.(service|socket) (failed \\(|keeps failing at start-up)`,
    ),
  );
  assert.match(r.stderr, /the worker's last error: ".*throwing-app: the database URL is not set/);
  assert.doesNotMatch(r.stderr, /within 30s/, 'it did not wait out the whole budget');
  assert.match(r.stderr, /Rolled back: /);

  const st = JSON.parse((await cli(box, name, 'status', '--json')).stdout) as ServiceStatus;
  assert.ok(st.state === 'listening' || st.state === 'running', `status after the rollback: ${JSON.stringify(st)}`);
  assert.notEqual((await unitProps(box, `${name}.service`, 'ActiveState')).ActiveState, 'failed');
  assert.equal((await getJson(box, port, '/health')).status, 200, 'the previous worker answers');
  assert.equal((await cli(box, name, 'uninstall')).code, 0);
});

test('a socket stopped on purpose is "stopped" with the start command, not FAILED; repair starts it again', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'stopped-on-purpose';
  const port = await freeBoxPort(box);
  assert.equal((await cli(box, name, 'install', '--port', String(port), '--no-token')).code, 0);
  assert.equal((await box.systemctlUser('stop', `${name}.socket`)).code, 0);
  const st = JSON.parse((await cli(box, name, 'status', '--json')).stdout) as ServiceStatus;
  assert.equal(st.state, 'stopped');
  assert.equal(st.fix, `systemctl --user start ${name}.socket`);
  const text = await cli(box, name, 'status');
  assert.match(
    text.stdout,
    new RegExp(
      `${name} \\(systemd\\): stopped: ${name}\\.socket is stopped: nothing listens on the port until it is started\\n  start it: systemctl --user start ${name}\\.socket`,
    ),
  );
  assert.doesNotMatch(text.stdout, /FAILED/);
  const repaired = await cli(box, name, 'repair');
  assert.equal(repaired.code, 0, repaired.stderr);
  assert.equal((await unitProps(box, `${name}.socket`, 'ActiveState')).ActiveState, 'active');
  assert.equal((await cli(box, name, 'uninstall')).code, 0);
});
