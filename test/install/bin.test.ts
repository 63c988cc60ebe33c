// The published bin: dist/install/cli.js has a shebang, is what package.json names, and runs through an npm-style symlink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../src/exec/runner.js';
import { defaultWorkerEntry } from '../../src/paths.js';
import { installCli, repoRoot, scratchDir } from '../helpers/paths.js';

test('package.json maps install-service to its fast entry, and dist/install/cli.js starts with a node shebang', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
    files: string[];
  };
  assert.equal(pkg.bin['install-service'], 'dist/src/bin/install-service-fast.cjs');
  assert.ok(pkg.files.includes('dist/install') && pkg.files.includes('units'));
  assert.equal(readFileSync(installCli, 'utf8').split('\n')[0], '#!/usr/bin/env node');
});

test('runs through a node_modules/.bin symlink, as npm installs it, and prints the plan', async (t) => {
  const dir = scratchDir('bin');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, '.bin'));
  chmodSync(installCli, 0o755); // npm sets the bit on install; tsc does not
  symlinkSync(installCli, join(dir, '.bin', 'install-service'));
  const help = await runCommand([join(dir, '.bin', 'install-service'), '--help']);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^install-service \[install\|uninstall\|status\|print\|repair\|restart\|list\|logs\]/);
  const print = await runCommand([join(dir, '.bin', 'install-service'), 'print', '--port', '38111'], {
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: '' },
  });
  assert.equal(print.code, 0, print.stderr);
  assert.match(print.stdout, /ListenStream=127\.0\.0\.1:38111/);
  assert.ok(
    print.stdout.includes(`ExecStart="${realpathSync(process.execPath)}" "${defaultWorkerEntry}"`),
    'the bundled worker by default',
  );
});

test('--version on all three bins prints the version in package.json', async () => {
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const bin of ['install-service', 'initsock', 'initsock-worker']) {
    const r = await runCommand([process.execPath, join(repoRoot, pkg.bin[bin] as string), '--version']);
    assert.equal(r.code, 0, `${bin}: ${r.stderr}`);
    assert.equal(r.stdout, `${version}\n`, bin);
  }
});
