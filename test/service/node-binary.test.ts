// The default --node: the real binary behind the running one, a stable one instead of a version-manager path, or a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../src/exec/runner.js';
import { defaultNode, staleReason } from '../../src/service/node-binary.js';
import { scratchDir } from '../helpers/paths.js';

test('staleReason names the tool behind paths that go stale, and passes stable ones', () => {
  const rows: Array<[string, string | null]> = [
    ['/home/u/.nvm/versions/node/v20.11.0/bin/node', 'nvm'],
    ['/home/u/.local/share/fnm/node-versions/v20/installation/bin/node', 'fnm'],
    ['/run/user/1000/fnm_multishells/123_456/bin/node', 'fnm'],
    ['/home/u/.volta/bin/node', 'volta'], // a shim
    ['/home/u/.asdf/installs/nodejs/20.1.0/bin/node', 'asdf'],
    ['/home/u/.npm/_npx/1234/node_modules/.bin/node', 'an npx cache'],
    ['/opt/homebrew/Cellar/node/21.1.0/bin/node', 'a Homebrew versioned folder'],
    ['/usr/bin/node', null],
    ['/usr/local/bin/node', null],
    ['/opt/homebrew/bin/node', null], // Homebrew's link always points at the current version
  ];
  for (const [path, why] of rows) assert.equal(staleReason(path), why, path);
});

test("a stable running node is used as is (realpath'd)", async () => {
  const choice = await defaultNode({ execPath: process.execPath, env: { PATH: '' }, run: runCommand, usual: [] });
  assert.equal(staleReason(choice.path), null);
  assert.deepEqual(choice.warnings, []);
});

/** A fake nvm tree holding a copy of this node binary (a copy, since realpath of a link would leave .nvm). */
function nvmNode(dir: string): string {
  const bin = join(dir, '.nvm', 'versions', 'node', 'v20.0.0', 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync(process.execPath, join(bin, 'node'));
  return join(bin, 'node');
}

test('under nvm, a stable node on PATH (version 20+) is chosen instead, with a note', async (t) => {
  const dir = scratchDir('node');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stale = nvmNode(dir);
  const stableBin = join(dir, 'stable-bin');
  mkdirSync(stableBin);
  symlinkSync(process.execPath, join(stableBin, 'node'));
  const choice = await defaultNode({ execPath: stale, env: { PATH: stableBin }, run: runCommand, usual: [] });
  assert.equal(choice.path, join(stableBin, 'node'));
  assert.match(
    choice.warnings[0] ?? '',
    /the running node .* belongs to nvm; the service uses .*stable-bin\/node instead/,
  );
});

test('under nvm with no other node: the nvm path, and a warning that says what to do', async (t) => {
  const dir = scratchDir('node');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stale = nvmNode(dir);
  const choice = await defaultNode({
    execPath: stale,
    env: { PATH: join(dir, '.nvm', 'versions', 'node', 'v20.0.0', 'bin') },
    run: runCommand,
    usual: [],
  });
  assert.equal(choice.path, stale);
  assert.match(
    choice.warnings[0] ?? '',
    /the only node found \(.*\.nvm.*\) belongs to nvm; .* Install node system-wide .* or pass --node/,
  );
});
