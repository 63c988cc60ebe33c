#!/usr/bin/env node
// Opt-in check of the README's claude-mem recipes against the real package (not part of npm test: it downloads claude-mem).
// Needs root, `npm run build`, and bun from @oven/bun-linux-x64 (scripts/test-deps.sh installs it). In the systemd test box it installs claude-mem's
// worker three ways and prints what happened: --exec (must fail fast: it binds its port itself), --adopt, --proxy-port.
//   node scripts/try-claude-mem.mjs [VERSION]        (default 13.25.3)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bootBox, getJson } = await import(join(root, 'dist/test/integration/box/index.js'));
const version = process.argv[2] ?? '13.25.3';
const dir = join(root, 'test', '.work', `claude-mem-${version}`); // inside the checkout: the box sees it, git ignores it
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', `claude-mem@${version}`], {
  cwd: dir,
  stdio: 'inherit',
});
const bun = join(root, 'node_modules/@oven/bun-linux-x64/bin/bun');
const worker = join(dir, 'node_modules/claude-mem/plugin/scripts/worker-service.cjs');
const port = 37700; // 37700 + uid % 100 for the box user, root

const modes = {
  exec: ['--exec', '--', bun, worker, '--daemon'],
  adopt: ['--adopt', '--', bun, worker, '--daemon'],
  proxy: ['--proxy-port', '37799', '--env', 'CLAUDE_MEM_WORKER_PORT=37799', '--', bun, worker, '--daemon'],
};
const box = await bootBox();
try {
  for (const [mode, args] of Object.entries(modes)) {
    const cli = (...a) =>
      box.exec([process.execPath, join(root, 'dist/install/cli.js'), ...a, '--name', 'claude-mem'], {
        env: box.userEnv,
        timeoutMs: 120_000,
      });
    const started = Date.now();
    const r = await cli('install', '--port', String(port), '--health-path', '/api/health', ...args);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const health = r.code === 0 ? (await getJson(box, port, '/api/health')).body : null;
    const error = r.code === 0 ? '' : (/install-service: (.*)/.exec(r.stderr)?.[1] ?? r.stderr).slice(0, 300);
    console.log(
      JSON.stringify({
        mode,
        exit: r.code,
        seconds,
        health: health && { status: health.status, version: health.version, pid: health.pid },
        error,
      }),
    );
    await cli('uninstall');
  }
} finally {
  await box.stop();
}
