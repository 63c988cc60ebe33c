// Port holders on any OS: /proc on Linux, and the lsof path macOS uses, run here against a real listener with a root without /proc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { runCommand } from '../../src/exec/runner.js';
import { parseLsof, portHolders } from '../../src/service/port-holders.js';
import { scratchDir } from '../helpers/paths.js';

async function listener(): Promise<{ pid: number; port: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const exited = once(child, 'exit');
  return {
    pid: child.pid as number,
    port: Number(line.toString().trim()),
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

test('parseLsof keeps the processes whose listener clashes with the host', () => {
  const out = 'p100\ncnode\nf20\nn127.0.0.1:4000\np200\ncpython3\nf3\nn*:4000\np300\ncruby\nf9\nn[::1]:4000\n';
  assert.deepEqual(
    parseLsof(out, '127.0.0.1').map((o) => [o.pid, o.command]),
    [
      [100, 'node'],
      [200, 'python3'],
    ],
  );
  assert.deepEqual(
    parseLsof(out, '::1').map((o) => o.pid),
    [200, 300],
  );
});

test('/proc path: the real listener, with pid', async (t) => {
  const l = await listener();
  t.after(() => l.stop());
  const held = await portHolders(l.port, '127.0.0.1', { run: runCommand });
  assert.equal(held.inUse, true);
  assert.deepEqual(
    held.owners.map((o) => o.pid),
    [l.pid],
  );
});

test('lsof path (no /proc, as on macOS): the real listener, with pid and command', async (t) => {
  if (spawnSync('sh', ['-c', 'command -v lsof']).status !== 0) return t.skip('lsof is not installed');
  const root = scratchDir('noproc');
  const l = await listener();
  t.after(async () => {
    await l.stop();
    rmSync(root, { recursive: true, force: true });
  });
  const held = await portHolders(l.port, '127.0.0.1', { root, run: runCommand });
  assert.equal(held.inUse, true);
  assert.deepEqual(
    held.owners.map((o) => [o.pid, o.command]),
    [[l.pid, 'node']],
  );
  await l.stop();
  assert.deepEqual(await portHolders(l.port, '127.0.0.1', { root, run: runCommand }), { inUse: false, owners: [] });
});
