// What a user gets from the registry: the packed tarball installed into a fresh project, its bins run from there.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../src/exec/runner.js';
import { repoRoot, scratchDir } from '../helpers/paths.js';
import { freePort } from '../helpers/net.js';

const dir = scratchDir('registry-install');
const project = join(dir, 'project');
const bin = (name: string) => join(project, 'node_modules', '.bin', name);
const installed = join(project, 'node_modules', 'initsock');

/** Runs npm (paths are passed explicitly: the runner has no cwd). */
async function npm(args: string[]): Promise<void> {
  const r = await runCommand(['npm', ...args, '--no-audit', '--no-fund', '--loglevel=error'], { timeoutMs: 240_000 });
  if (r.code !== 0) throw new Error(`npm ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-2000)}`);
}

before(async () => {
  // dist/ is already built by `npm test`; --ignore-scripts keeps prepack from rebuilding it under the other tests.
  await npm(['pack', '--ignore-scripts', '--pack-destination', dir, repoRoot]);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }),
  );
  // The dependencies come from npm's cache (filled by `npm ci`), else from the registry.
  await npm(['install', '--prefix', project, '--prefer-offline', join(dir, tarball)]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball ships the built code, the templates and the bins, and no tests', () => {
  for (const f of [
    'units/initsock.socket.in',
    'units/initsock.service.in',
    'plists/agent.plist.in',
    'dist/src/index.js',
    'dist/install/cli.js',
    'dist/src/bin/worker.js',
    'README.md',
    'SECURITY.md',
    'LICENSE',
    'CHANGELOG.md',
  ])
    assert.ok(existsSync(join(installed, f)), f);
  assert.equal(existsSync(join(installed, 'dist', 'test')), false, 'tests are not shipped');
  for (const b of ['install-service', 'initsock-worker', 'initsock']) {
    assert.ok(existsSync(bin(b)), `bin ${b}`);
    const target = realpathSync(bin(b));
    assert.match(target, /-fast\.cjs$/, `bin ${b} is the fast entry`);
    assert.ok(existsSync(target.replace(/-fast\.cjs$/, '.bundle.cjs')), `bin ${b} has its bundle in the package`);
  }
});

test('every bin runs the bundle from the installed package (not the plain module graph)', async () => {
  for (const [b, args] of [
    ['install-service', ['--help']],
    ['initsock-worker', ['--version']],
    ['initsock', ['--help']],
  ] as const) {
    const r = await runCommand([bin(b), ...args], { env: { ...process.env, INITSOCK_ENTRY_REPORT: '1' } });
    assert.equal(r.code, 0, `${b}: ${r.stderr}`);
    assert.match(r.stderr, /^initsock entry: bundle$/m, b);
  }
});

test('install-service print renders units that run the installed worker', async () => {
  const r = await runCommand([bin('install-service'), 'print', '--init', 'systemd', '--port', '38999', '--no-token'], {
    env: { ...process.env, HOME: dir },
  });
  assert.equal(r.code, 0, r.stderr);
  const exec = /^ExecStart="([^"]+)" "([^"]+)"/m.exec(r.stdout);
  assert.ok(exec, r.stdout);
  assert.ok(exec[2]!.startsWith(installed + '/'), `the entry is inside the installed package: ${exec[2]}`);
  assert.ok(existsSync(exec[2]!), 'and exists');
  assert.match(r.stdout, /ListenStream=127\.0\.0\.1:38999/);
});

test('the installed initsock client starts the installed worker through fallback activation', async () => {
  const port = await freePort();
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state') };
  const r = await runCommand(
    [bin('initsock'), 'request', '--port', String(port), '--idle-timeout', '1s', 'GET', '/health'],
    { env },
  );
  assert.equal(r.code, 0, r.stderr);
  const health = JSON.parse(r.stdout) as { status: string; activation: string; pid: number };
  assert.deepEqual([health.status, health.activation], ['ok', 'handoff']);
  process.kill(health.pid, 'SIGTERM');
  const version = await runCommand([bin('initsock-worker'), '--version']);
  assert.equal(
    version.stdout.trim(),
    (await import(join(repoRoot, 'package.json'), { with: { type: 'json' } })).default.version,
  );
});

test('the installed package runs keyed jobs: `initsock job run --wait` and import { runJob } from "initsock/jobs"', async () => {
  const env = { ...process.env, HOME: dir, INITSOCK_JOB_MODE: 'process', INITSOCK_JOBS_DIR: join(dir, 'jobs') };
  const cli = await runCommand([bin('initsock'), 'job', 'run', '--key', 'pkg', '--wait', '--', 'sh', '-c', 'exit 4'], {
    env,
  });
  assert.deepEqual([cli.code, cli.stdout.trim()], [4, 'started'], cli.stderr);
  const script = join(project, 'job.mjs');
  writeFileSync(
    script,
    "import { runJob } from 'initsock/jobs';\n" +
      "const r = await runJob({ key: 'lib', command: ['sh', '-c', 'exit 6'], wait: true });\n" +
      'console.log(JSON.stringify([r.answer, r.result.exitCode]));\n',
  );
  const lib = await runCommand([process.execPath, script], { env });
  assert.equal(lib.code, 0, lib.stderr);
  assert.deepEqual(JSON.parse(lib.stdout), ['started', 6]);
});
