// The port check asks the init system whether a holder is its manager, and names the unit or plist that claims the port.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isInitsockError } from '../../src/errors.js';
import type { CommandRunner } from '../../src/exec/runner.js';
import { launchd } from '../../src/service/launchd/index.js';
import { systemd } from '../../src/service/systemd/index.js';
import type { InitSystem, ServiceConfig, SystemContext } from '../../src/service/types.js';
import { portSteps } from '../../install/port-check.js';
import { scratchDir } from '../helpers/paths.js';
import { cases } from '../service/systemd/cases.js';

const PORT = 38999;

/** A machine without /proc (so lsof is asked) where `comm` (pid 77) holds PORT. */
function machine(comm: string): SystemContext {
  const home = scratchDir('port-check');
  const run: CommandRunner = async (argv) => ({
    argv,
    code: 0,
    stdout: `p77\nc${comm}\nn127.0.0.1:${PORT}\n`,
    stderr: '',
  });
  return { run, env: {}, uid: 1000, home, root: home };
}

async function refusal(init: InitSystem, ctx: SystemContext): Promise<Error> {
  const cfg: ServiceConfig = { ...cases.default!, port: PORT, home: ctx.home };
  try {
    await portSteps(cfg, { state: 'not-installed' } as never, ctx, { takeover: true, graceMs: 0, init });
  } catch (err) {
    assert.ok(isInitsockError(err, 'PORT_TAKEN'), String(err));
    return err;
  }
  assert.fail('the port check let a manager-held port through');
}

test('systemd holding the port: refused even with --takeover, naming the socket unit that declares it', async () => {
  const ctx = machine('systemd');
  const dir = join(ctx.home, '.config', 'systemd', 'user');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'other.socket'), `[Socket]\nListenStream=127.0.0.1:${PORT}\n`);
  const err = await refusal(systemd, ctx);
  assert.match(
    err.message,
    new RegExp(
      `belongs to another service of .*systemd.*, declared in ${join(dir, 'other.socket')}\\. Stop that service`,
    ),
  );
});

test('launchd holding the port: its own hint when no plist in the folder declares it', async () => {
  const err = await refusal(launchd, machine('launchd'));
  assert.match(
    err.message,
    /belongs to another service of .*launchd.*\. Find it with `launchctl list`, stop that service/,
  );
  assert.doesNotMatch(err.message, /systemctl/);
});
