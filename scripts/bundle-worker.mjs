#!/usr/bin/env node
// Build step after tsc: bundles the worker and the `initsock` CLI into one file each and primes a V8 code cache for both.
//
// For NAME in worker, initsock it makes, next to dist/src/bin/NAME.js (which keeps working unchanged):
//   NAME.bundle.cjs (+ .map)           the whole program in one CommonJS file (esbuild); run it directly to debug
//   NAME-fast.cjs                      the fast entry (scripts/fast-entry.cjs): runs the bundle through the cache
//   NAME.bundle.<node>-<arch>.cache    that cache, made by one real start of each (see primeCaches)
// Everything lives in dist/src/bin, which package.json "files" already publishes.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'dist', 'src', 'bin');

/**
 * Source rewrites for our own files (dist/src/**):
 * - esbuild turns `import.meta` into {} in CommonJS output. Give each file back its own URL, computed at run time
 *   from the bundle's location, so paths.ts (packageRoot) and createRequire(import.meta.url) still resolve from
 *   where that file lives in dist/.
 * - A dynamic import() that stays dynamic (the --app module, express) goes through __initsockImport (see banner):
 *   V8 drops the import() callback of functions restored from a code cache made in another process ("A dynamic
 *   import callback was not specified"), so under the fast entry such imports run from the loader's own code.
 *   Relative literal imports ('./x.js') are left alone: esbuild bundles them.
 */
const rewrite = {
  name: 'initsock-rewrite',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      const rel = JSON.stringify(relative(binDir, args.path).split('\\').join('/'));
      const url = `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${rel})).href`;
      text = text.replaceAll('import.meta.url', `(${url})`).replace(/(?<![\w$.])import\((?!\s*['"]\.)/g, '__initsockImport(');
      return { contents: text, loader: 'js' };
    });
  },
};

/** Uses the loader's import() under the fast entry, and a plain import() when node runs the bundle directly. */
const banner = 'var __initsockImport = typeof module === "object" && module && typeof module.initsockImport === "function"\n' +
  '  ? module.initsockImport : (specifier) => import(specifier);';

/** Bundles dist/src/bin/NAME.js, records its inputs, installs NAME-fast.cjs and drops caches made for older bundles. */
async function bundleBin(name) {
  const bundle = join(binDir, `${name}.bundle.cjs`);
  await build({
    entryPoints: [join(binDir, `${name}.js`)], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    sourcemap: true, // maps back through tsc's maps to src/*.ts
    // Left in node_modules: koffi (a native addon, launchd only, loaded lazily), express (only with --app) and winston
    // (the runtime loads it after start-up): the bundle and its cache then hold only what a cold start runs.
    external: ['koffi', 'express', 'winston'],
    plugins: [rewrite], banner: { js: banner }, logLevel: 'warning', legalComments: 'none',
  });
  const fast = join(binDir, `${name}-fast.cjs`);
  copyFileSync(join(root, 'scripts', 'fast-entry.cjs'), fast);
  chmodSync(fast, 0o755);
  chmodSync(bundle, 0o755);
  for (const f of readdirSync(binDir)) {
    if (f.startsWith(`${name}.bundle.`) && (f.endsWith('.cache') || f.endsWith('.inputs.json'))) rmSync(join(binDir, f));
  }
  return fast;
}

/** A free loopback port (bind port 0, read it, close). */
function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer().once('error', rej).listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** GET /health until it answers 200, for up to `ms`. */
async function waitHealthy(port, ms) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    const ok = await new Promise((res) => get({ host: '127.0.0.1', port, path: '/health', agent: false }, (r) => { r.resume(); res(r.statusCode === 200); })
      .on('error', () => res(false)));
    if (ok) return;
  }
  throw new Error(`the worker did not answer /health on port ${port} within ${ms} ms`);
}

/**
 * Primes both caches with real starts: the fast worker listens (--listen) and answers one `initsock request` sent by
 * the fast CLI; each writes its cache when it exits (the CLI after its answer, the worker on SIGTERM), so the caches
 * hold every function a start and a first answer compile. Without a cache the fast entries still work (they compile
 * as usual), so a failure here only warns.
 */
async function primeCaches(worker, cli) {
  const port = await freePort();
  const env = { ...process.env, INITSOCK_WRITE_CODE_CACHE: '1', INITSOCK_LOG_LEVEL: 'error' };
  const child = spawn(process.execPath, [worker, '--listen', `127.0.0.1:${port}`], { env, stdio: 'ignore' });
  const exited = new Promise((res) => child.once('exit', res));
  try {
    await waitHealthy(port, 20_000);
    const r = spawnSync(process.execPath, [cli, 'request', '--port', String(port), 'GET', '/health'], { env, encoding: 'utf8', timeout: 20_000 });
    if (r.status !== 0) console.warn(`bundle-worker: no V8 code cache for ${cli} (it exited ${r.status}: ${r.stderr.trim()})`);
  } catch (err) {
    console.warn(`bundle-worker: no V8 code cache for ${worker} (${err.message}); it will start without one.`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const worker = await bundleBin('worker');
const cli = await bundleBin('initsock');
await primeCaches(worker, cli);
