// Against a real systemd --user: Ctrl-C or SIGTERM during install's health check rolls back and exits non-zero, a second
// one quits at once, and after a SIGKILL half-way status names the fix that works (re-running install), not repair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from '../../src/exec/runner.js';
import type { ServiceStatus } from '../../src/service/types.js';
import { installCli } from '../helpers/paths.js';
import { freeBoxPort, getJson, pollUntil, unitProps, useBox, type Box } from '../integration/box/index.js';

const boxes = useBox();
const gatedEntry = new URL('./gated-entry.js', import.meta.url).pathname;

function cli(box: Box, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, ...args], { env: box.userEnv, timeoutMs: 60_000 });
}

/** install-service running in the box: its pid there, its output so far, a wait for a line, and its exit. */
interface Running {
  pid: Promise<string>;
  stdout(): string;
  stderr(): string;
  waitFor(what: RegExp): Promise<void>;
  exit: Promise<{ code: number | null; signal: string | null }>;
}

function start(box: Box, args: string[], env: Record<string, string> = {}): Running {
  const child = box.spawn(['sh', '-c', 'echo $$; exec "$@"', 'sh', process.execPath, installCli, ...args], {
    env: { ...box.userEnv, ...env },
  });
  let out = '';
  let err = '';
  const pid = new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0] ?? '')),
  );
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (what: RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (what.test(err)) {
          child.stderr.off('data', check);
          resolve();
        }
      };
      child.stderr.on('data', check);
      void exit.then(() => reject(new Error(`exited before ${what} appeared:\n${out}\n${err}`)));
      check();
    });
  return { pid, stdout: () => out.split('\n').slice(1).join('\n'), stderr: () => err, waitFor, exit };
}

const kill = async (box: Box, sig: string, pid: string): Promise<void> => {
  assert.equal((await box.exec(['kill', `-${sig}`, pid])).code, 0);
};

/**
 * The env for a run whose `systemctl --user CMD` is held (a wrapper that records its pid in `mark` and sleeps until
 * killed), so a test can act at exactly that point.
 */
function holding(box: Box, cmd: string, mark: string): Record<string, string> {
  const bin = join(box.layout.dir, 'hold-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'systemctl'),
    '#!/bin/sh\nif [ "$2" = "$HOLD_CMD" ]; then echo $$ > "$HOLD_MARK"; exec sleep 300; fi\nexec /usr/bin/systemctl "$@"\n',
  );
  chmodSync(join(bin, 'systemctl'), 0o755);
  return { HOLD_CMD: cmd, HOLD_MARK: mark, PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin` };
}

/** Waits until the held command runs; resolves with its pid. */
const held = (mark: string): Promise<string> =>
  pollUntil(
    `the held command (${mark})`,
    async () => (existsSync(mark) ? readFileSync(mark, 'utf8').trim() || undefined : undefined),
    { timeoutMs: 30_000 },
  );

/** An install whose worker waits for `flag`, so the health check is still waiting when the test interrupts it. */
const gated = (name: string, port: number, flag: string): string[] => [
  'install',
  '--name',
  name,
  '--port',
  String(port),
  '--no-token',
  '--entry',
  gatedEntry,
  '--env',
  `GATE_FLAG=${flag}`,
];

test('SIGINT during the health check of a fresh install rolls back and exits 1, even once the worker would answer', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'int-fresh';
  const flag = join(box.layout.dir, `${name}-gate`);
  const run = start(box, gated(name, await freeBoxPort(box), flag));
  await run.waitFor(/verify: GET .*\.\.\./);
  await kill(box, 'INT', await run.pid);
  await run.waitFor(/install-service: SIGINT: /);
  writeFileSync(flag, ''); // the worker may now answer: a run that kept verifying would report success
  const { code } = await run.exit;
  t.diagnostic(run.stderr().trim());
  assert.equal(code, 1, `${run.stdout()}\n${run.stderr()}`);
  assert.match(run.stderr(), /verify: .* failed: interrupted \(SIGINT\) while waiting\..*Rolled back: /);
  assert.doesNotMatch(run.stdout(), /installed/);
  assert.equal(existsSync(join(box.layout.userConfigUnits, `${name}.socket`)), false);
  assert.equal(existsSync(join(box.layout.userConfigUnits, `${name}.service`)), false);
  assert.equal((await unitProps(box, `${name}.socket`, 'LoadState')).LoadState, 'not-found');
});

test('SIGTERM during the health check of a re-install restores the previous installation, which still answers', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'int-reinstall';
  const port = await freeBoxPort(box);
  const first = await cli(box, 'install', '--name', name, '--port', String(port), '--no-token');
  assert.equal(first.code, 0, `${first.stderr}\n${box.logs()}`);
  const unit = join(box.layout.userConfigUnits, `${name}.service`);
  const before = readFileSync(unit, 'utf8');

  const flag = join(box.layout.dir, `${name}-gate`);
  const run = start(box, gated(name, port, flag));
  await run.waitFor(/verify: GET .*\.\.\./);
  await kill(box, 'TERM', await run.pid);
  await run.waitFor(/install-service: SIGTERM: /);
  writeFileSync(flag, '');
  assert.equal((await run.exit).code, 1, `${run.stdout()}\n${run.stderr()}`);
  assert.equal(readFileSync(unit, 'utf8'), before, 'the previous service file is back');
  assert.equal((await getJson(box, port, '/health')).status, 200, 'the previous worker answers again');
  assert.equal((await cli(box, 'uninstall', '--name', name)).code, 0);
});

test('a second SIGINT during the rollback quits at once with 130', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'int-twice';
  const mark = join(box.layout.dir, `${name}-held`);
  // The rollback's first command (stop the new socket) is held, so the second signal surely comes while it runs.
  const run = start(
    box,
    gated(name, await freeBoxPort(box), join(box.layout.dir, `${name}-gate-never`)),
    holding(box, 'stop', mark),
  );
  await run.waitFor(/verify: GET .*\.\.\./);
  const pid = await run.pid;
  await kill(box, 'INT', pid);
  const sleeper = await held(mark);
  await kill(box, 'INT', pid);
  assert.equal((await run.exit).code, 130, run.stderr());
  await kill(box, 'KILL', sleeper);
  assert.equal((await cli(box, 'uninstall', '--name', name)).code, 0, 'whatever was left is still ours to remove');
});

test('after a SIGKILL half-way through install, status recommends re-running install, and that fixes it', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const name = 'killed-install';
  // `daemon-reload` held: install is SIGKILLed with both unit files written and nothing loaded or enabled.
  const mark = join(box.layout.dir, `${name}-held`);
  const args = ['install', '--name', name, '--port', String(await freeBoxPort(box)), '--no-token'];
  const run = start(box, args, holding(box, 'daemon-reload', mark));
  const sleeper = await held(mark);
  await kill(box, 'KILL', await run.pid);
  assert.notEqual((await run.exit).code, 0);
  await kill(box, 'KILL', sleeper);

  const st = JSON.parse((await cli(box, 'status', '--name', name, '--json')).stdout) as ServiceStatus;
  assert.equal(st.state, 'failed');
  assert.match(st.reason ?? '', /an install did not finish/);
  assert.match(st.fix ?? '', new RegExp(`^install-service install --name ${name} `));
  const repair = await cli(box, 'repair', '--name', name);
  assert.equal(repair.code, 2, repair.stderr);
  assert.match(
    repair.stderr,
    new RegExp(`cannot repair ${name}: an install did not finish.*Run install-service install --name ${name}`),
  );

  const again = await cli(box, ...args); // the fix status printed
  assert.equal(again.code, 0, `${again.stderr}\n${box.logs()}`);
  const after = JSON.parse((await cli(box, 'status', '--name', name, '--json')).stdout) as ServiceStatus;
  assert.ok(after.state === 'running' || after.state === 'listening', after.state);
  assert.equal((await cli(box, 'uninstall', '--name', name)).code, 0);
});
