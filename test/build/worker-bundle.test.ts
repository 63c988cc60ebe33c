// The build's fast entries (scripts/bundle-worker.mjs): the bundle and the entry every bin points at serve like worker.js does.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { distDir, repoRoot, scratchDir } from '../helpers/paths.js';

const bin = join(distDir, 'src', 'bin');
const entries = {
  plain: join(bin, 'worker.js'),
  bundle: join(bin, 'worker.bundle.cjs'),
  fast: join(bin, 'worker-fast.cjs'),
};
const haveActivate = spawnSync('systemd-socket-activate', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (d: string) => {
          body += d;
        })
        .on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Runs `entry` under systemd-socket-activate, sends GET `path` once it listens, stops it; returns the answer. */
async function activateAndGet(
  entry: string,
  path: string,
  args: string[] = [],
): Promise<{ status: number; body: string }> {
  const port = await freePort();
  const child = spawn('systemd-socket-activate', ['-l', `127.0.0.1:${port}`, process.execPath, entry, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        log += d;
        if (log.includes('Listening on')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`systemd-socket-activate exited ${code}: ${log}`)));
    });
    return await get(port, path);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

test('the build made the bundle and the fast entry, which runs the bundle; no code cache is shipped', (t) => {
  for (const path of Object.values(entries)) assert.ok(existsSync(path), `${path} is missing: run npm run build`);
  const r = spawnSync(process.execPath, [entries.fast, '--version'], {
    env: { ...process.env, INITSOCK_ENTRY_REPORT: '1' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  if (r.stderr.includes('stale bundle'))
    return t.skip('tsc rebuilt dist/src after the bundle was made; run npm run build');
  assert.match(r.stderr, /initsock entry: bundle/);
  assert.equal(
    r.stdout.trim(),
    spawnSync(process.execPath, [entries.plain, '--version'], { encoding: 'utf8' }).stdout.trim(),
  );
  assert.deepEqual(
    readdirSync(bin).filter((f) => f.endsWith('.cache')),
    [],
    'a cache fits one Node version only',
  );
});

test('every package.json bin is a fast entry next to its bundle', () => {
  const bins = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> })
    .bin;
  for (const [name, path] of Object.entries(bins)) {
    assert.match(path, /^dist\/src\/bin\/[\w-]+-fast\.cjs$/, `bin ${name}`);
    assert.ok(existsSync(join(repoRoot, path.replace(/-fast\.cjs$/, '.bundle.cjs'))), `bin ${name} has its bundle`);
  }
});

test('in a checkout the fast entry runs worker.js instead of an older bundle; in an installed package, the bundle', (t) => {
  const root = scratchDir('bundle-stale');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'dist', 'src', 'bin');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'tsconfig.json'), '{}');
  copyFileSync(entries.fast, join(dir, 'worker-fast.cjs'));
  copyFileSync(entries.bundle, join(dir, 'worker.bundle.cjs'));
  writeFileSync(join(dir, 'worker.js'), "process.stdout.write('plain worker.js ran');\n");
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  const run = () =>
    spawnSync(process.execPath, [join(dir, 'worker-fast.cjs'), '--version'], {
      env: { ...process.env, INITSOCK_ENTRY_REPORT: '1' },
      encoding: 'utf8',
    });
  utimesSync(join(dir, 'worker.js'), new Date(), new Date(Date.now() + 60_000));
  const stale = run();
  assert.match(stale.stderr, /stale bundle, running worker\.js/);
  assert.equal(stale.stdout, 'plain worker.js ran');
  utimesSync(join(dir, 'worker.js'), new Date(), new Date(Date.now() - 60_000));
  const fresh = run();
  assert.match(fresh.stderr, /initsock entry: bundle/, 'a fresh bundle runs');
  // npm writes an installed package's files in any order, so their times say nothing: no tsconfig.json, no check.
  rmSync(join(root, 'tsconfig.json'));
  utimesSync(join(dir, 'worker.js'), new Date(), new Date(Date.now() + 60_000));
  assert.match(run().stderr, /initsock entry: bundle/, 'an installed package runs its bundle whatever the times');
});

test('the fast initsock CLI sends a request like initsock.js does', async (t) => {
  const cli = join(bin, 'initsock-fast.cjs');
  assert.ok(existsSync(cli), `${cli} is missing: run npm run build`);
  const port = await freePort();
  const worker = spawn(process.execPath, [entries.plain, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  t.after(async () => {
    worker.kill('SIGTERM');
    await exited;
  });
  await new Promise<void>((resolve) => {
    worker.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('serving')) resolve();
    });
  });
  const r = spawnSync(process.execPath, [cli, 'request', '--port', String(port), 'GET', '/health'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { activation: string }).activation, 'listen');
});

for (const [name, entry] of Object.entries(entries)) {
  test(`${name} entry answers /health on a socket-activated fd`, async (t) => {
    if (!haveActivate) return t.skip('systemd-socket-activate is not installed');
    const res = await activateAndGet(entry, '/health');
    assert.equal(res.status, 200);
    const body = JSON.parse(res.body) as { status: string; activation: string; pid: number };
    assert.equal(body.status, 'ok');
    assert.equal(body.activation, 'systemd');
  });

  test(`${name} entry loads an --app router (dynamic import and express from node_modules)`, async (t) => {
    if (!haveActivate) return t.skip('systemd-socket-activate is not installed');
    const dir = scratchDir('bundle-app');
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const app = join(dir, 'app.mjs');
    // The scratch folder may lie outside the repo (no node_modules there): import the repo's express by its path.
    const express = pathToFileURL(createRequire(join(repoRoot, 'package.json')).resolve('express')).href;
    writeFileSync(
      app,
      `import express from '${express}';\nconst r = express.Router();` +
        "\nr.get('/hello', (_q, s) => s.json({ hello: 'bundle' }));\nexport default r;\n",
    );
    const res = await activateAndGet(entry, '/hello', ['--app', app]);
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), { hello: 'bundle' });
  });
}
