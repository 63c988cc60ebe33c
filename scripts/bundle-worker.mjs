#!/usr/bin/env node
// Build step after tsc: bundles the default worker into one file and primes a V8 code cache for it, so it starts faster.
//
// Makes, next to dist/src/bin/worker.js (which keeps working unchanged):
//   dist/src/bin/worker.bundle.cjs (+ .map)  the whole worker in one CommonJS file (esbuild); run it directly to debug
//   dist/src/bin/worker.bundle.inputs.json   the dist/src files it was made from (for the staleness check)
//   dist/src/bin/worker-fast.cjs             the fast entry: runs the bundle through V8's code cache (scripts/worker-fast.cjs)
//   dist/src/bin/worker.bundle.<node>-<arch>.cache  that cache, made by starting the fast entry once (see primeCache)
// Everything lives under dist/src, which package.json "files" already publishes.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { copyFileSync, chmodSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'dist', 'src', 'bin');
const bundle = join(binDir, 'worker.bundle.cjs');

/**
 * Source rewrites for our own files (dist/src/**):
 * - esbuild turns `import.meta` into {} in CommonJS output. Give each file back its own URL, computed at run time
 *   from the bundle's location, so paths.ts (packageRoot) and createRequire(import.meta.url) still resolve from
 *   where that file lives in dist/.
 * - A dynamic import() that stays dynamic (the --app module, express) goes through __initsockImport (see banner):
 *   V8 drops the import() callback of functions restored from a code cache made in another process ("A dynamic
 *   import callback was not specified"), so under worker-fast.cjs such imports run from the loader's own code.
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

/** Uses the loader's import() when worker-fast.cjs runs the bundle, and a plain import() when node runs it directly. */
const banner = 'var __initsockImport = typeof module === "object" && module && typeof module.initsockImport === "function"\n' +
  '  ? module.initsockImport : (specifier) => import(specifier);';

const built = await build({
  entryPoints: [join(binDir, 'worker.js')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true, // maps back through tsc's maps to src/*.ts
  // Left in node_modules: koffi (a native addon, launchd only, loaded lazily), express (only with --app) and winston
  // (the runtime loads it after start-up): the bundle and its cache then hold only what a cold start runs.
  external: ['koffi', 'express', 'winston'],
  metafile: true,
  plugins: [rewrite],
  banner: { js: banner },
  logLevel: 'warning',
  legalComments: 'none',
});

// The files the bundle was made from, so worker-fast.cjs can tell when `tsc` has rebuilt one since (then it runs
// worker.js instead of a stale bundle: developers who only run tsc never get yesterday's worker).
const inputs = Object.keys(built.metafile.inputs).filter((f) => !f.includes('node_modules'))
  .map((f) => relative(binDir, resolve(root, f)).split('\\').join('/'));
writeFileSync(join(binDir, 'worker.bundle.inputs.json'), `${JSON.stringify(inputs)}\n`);

const fast = join(binDir, 'worker-fast.cjs');
copyFileSync(join(root, 'scripts', 'worker-fast.cjs'), fast);
chmodSync(fast, 0o755);
chmodSync(bundle, 0o755);
for (const f of readdirSync(binDir)) if (/^worker\.bundle\..*\.cache$/.test(f)) rmSync(join(binDir, f));
await primeCache(fast);

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
 * Primes the code cache with a real start: the fast entry listens (--listen), answers one /health, and writes the
 * cache when SIGTERM makes it exit, so the cache holds every function a cold start and a first answer compile.
 * Without a cache the fast entry still works (it compiles as usual), so a failure here only warns.
 */
async function primeCache(entry) {
  const port = await freePort();
  const child = spawn(process.execPath, [entry, '--listen', `127.0.0.1:${port}`],
    { env: { ...process.env, INITSOCK_WRITE_CODE_CACHE: '1', INITSOCK_LOG_LEVEL: 'error' }, stdio: 'ignore' });
  const exited = new Promise((res) => child.once('exit', res));
  try {
    await waitHealthy(port, 20_000);
  } catch (err) {
    console.warn(`bundle-worker: no V8 code cache for ${entry} (${err.message}); it will start without one.`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
