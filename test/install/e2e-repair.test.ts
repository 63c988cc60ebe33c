// Against a real systemd --user: a worker that crashes at start-up fails the socket; `status` says so with the fix, and
// `repair` (reset-failed, restart the socket) brings it back once the cause is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from '../../src/exec/runner.js';
import type { ServiceStatus } from '../../src/service/types.js';
import { installCli } from '../helpers/paths.js';
import { freeBoxPort, pollUntil, runNodeScript, unitProps, useBox, type Box } from '../integration/box/index.js';

const boxes = useBox();
const NAME = 'repair-worker';

function cli(box: Box, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, ...args, '--name', NAME], { env: box.userEnv, timeoutMs: 60_000 });
}

test('a crash-looping worker fails the socket; status names it and repair restores it', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const flag = join(box.layout.dir, 'fail-at-start');
  const port = await freeBoxPort(box);
  const entry = new URL('./flaky-entry.js', import.meta.url).pathname;
  const r = await cli(
    box,
    'install',
    '--port',
    String(port),
    '--entry',
    entry,
    '--env',
    `FLAKY_FLAG=${flag}`,
    '--idle-timeout',
    '5s',
  );
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);

  writeFileSync(flag, '');
  assert.equal((await box.systemctlUser('stop', `${NAME}.service`)).code, 0);
  // One connection starts the worker; it crashes, Restart=on-failure retries until the start limit fails the socket.
  await runNodeScript(box, `import { connect } from 'node:net'; connect(${port}, '127.0.0.1').on('error', () => {});`);
  await pollUntil(
    'the socket to fail',
    async () => ((await unitProps(box, `${NAME}.socket`, 'ActiveState')).ActiveState === 'failed' ? true : undefined),
    { timeoutMs: 40_000 },
  );

  const failed = JSON.parse((await cli(box, 'status', '--json')).stdout) as ServiceStatus;
  assert.equal(failed.state, 'failed');
  assert.match(failed.reason ?? '', /failed/);
  assert.equal(failed.fix, `install-service repair --name ${NAME}`);
  const text = await cli(box, 'status');
  t.diagnostic(text.stdout.trim());
  assert.match(text.stdout, new RegExp(`FAILED: .*\\n  fix: install-service repair --name ${NAME}`));

  rmSync(flag);
  const repaired = await cli(box, 'repair');
  assert.equal(repaired.code, 0, `${repaired.stderr}\n${box.logs()}`);
  assert.match(repaired.stdout, /repaired \(was failed: .*\); now running/);
  assert.equal((await unitProps(box, `${NAME}.socket`, 'ActiveState')).ActiveState, 'active');
  assert.equal((await cli(box, 'uninstall')).code, 0);
});
