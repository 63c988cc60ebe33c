// install-service --node: a bare name is found on PATH, and bun is refused for initsock's own worker but runs the proxy worker.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseCli } from '../../install/args.js';
import { buildSettings, type Settings } from '../../install/config.js';
import { runCommand } from '../../src/exec/runner.js';
import { bunBin } from '../helpers/bun.js';
import { fileURLToPath } from 'node:url';
import { Harness } from './harness.js';

const h = new Harness();
after(() => h.cleanup());
const bin = join(h.dir, 'bin');
mkdirSync(bin);
symlinkSync(process.execPath, join(bin, 'node'));
if (bunBin) symlinkSync(bunBin, join(bin, 'bun'));

/** buildSettings with `bin` first on PATH and the real command runner (the version checks run the binaries). */
function settings(argv: string[]): Promise<Settings> {
  const base = h.deps([], []);
  return buildSettings(parseCli(argv), {
    ...base,
    run: runCommand,
    env: { ...base.env, PATH: `${bin}:/usr/bin:/bin` },
  });
}

test('--node NAME is looked up on PATH, as the command of --exec is, instead of as a file in the current folder', async () => {
  const s = await settings(['install', '--node', 'node']);
  assert.equal(s.cfg.node, join(bin, 'node'));
  await assert.rejects(settings(['install', '--node', 'no-such-node']), /--node "no-such-node" is not on your PATH/);
});

test('--node bun: refused for the default worker before anything is written, accepted in front of a program', async (t) => {
  if (!bunBin) return t.skip('bun is not installed (scripts/test-deps.sh installs @oven/bun-linux-x64 on linux x64)');
  await assert.rejects(settings(['install', '--node', 'bun']), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'INVALID_VALUE');
    assert.match(
      err.message,
      /--node ".*\/bun" is bun, under which initsock's worker cannot serve the inherited socket .* Run the worker with node/,
    );
    return true;
  });
  await assert.rejects(settings(['install', '--node', join(bin, 'bun')]), /is bun/, 'a path is refused as a name is');
  await assert.rejects(
    settings(['install', '--node', 'bun', '--entry', fileURLToPath(import.meta.url)]),
    /is bun, under which initsock's worker/,
    "an --entry worker is initsock's worker too",
  );
  const proxy = await settings(['install', '--node', 'bun', '--proxy-port', '37800', '--', 'node', '-e', '0']);
  assert.equal(proxy.cfg.node, join(bin, 'bun'));
  assert.equal(proxy.cfg.program?.mode, 'proxy');
});
