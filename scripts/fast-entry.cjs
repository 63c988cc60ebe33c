#!/usr/bin/env node
// Fast start for a bin (copied as dist/src/bin/NAME-fast.cjs): runs NAME.bundle.cjs through V8's code cache, so little compiles at start.
//
// This is a plain CommonJS program: `node --inspect worker-fast.cjs` debugs it; the same program unbundled is
// dist/src/bin/NAME.js, and `node NAME.bundle.cjs` runs the bundle without the cache. `npm run build`
// (scripts/bundle-worker.mjs) makes the bundle and the cache, for one Node version and architecture; with any other,
// or when V8 rejects the cache, the bundle compiles as usual. When tsc has rebuilt a file since the bundle was made,
// this runs NAME.js instead, so a stale bundle never runs. INITSOCK_CODE_CACHE_REPORT=1 says which path it took.
'use strict';
const { readFileSync, statSync, writeFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');
// The CommonJS Module class, without loading the public node:module builtin (which pulls in the ESM loader).
const Module = module.constructor;

const name = basename(__filename).replace(/-fast\.cjs$/, ''); // "worker", "initsock"
const bundle = join(__dirname, `${name}.bundle.cjs`);
const cacheFile = join(__dirname, `${name}.bundle.${process.version}-${process.arch}.cache`);
const report = process.env.INITSOCK_CODE_CACHE_REPORT === '1' ? (what) => process.stderr.write(`initsock code cache: ${what}\n`) : () => {};

/**
 * True when the bundle is missing or older than NAME.js: tsc rewrites every file it emits, so a newer NAME.js means
 * tsc ran and the bundle step did not (two stats, where checking every input would cost a millisecond at each start).
 */
function bundleIsStale() {
  try {
    return statSync(join(__dirname, `${name}.js`)).mtimeMs > statSync(bundle).mtimeMs;
  } catch {
    return true;
  }
}

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined; // no cache for this Node: compile normally
  }
}

/** Compiles the bundle as Node's CommonJS loader would (same wrapper; the hashbang line is blanked), with the cache. */
function compile(cachedData) {
  const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
  return new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
}

/** Runs the bundle as a CommonJS module whose dynamic imports go through this file (see below). */
function runBundle() {
  const cachedData = readCache();
  const script = compile(cachedData);
  report(cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted');
  if (process.env.INITSOCK_WRITE_CODE_CACHE === '1') {
    delete process.env.INITSOCK_WRITE_CODE_CACHE;
    // on exit every function that ran at start-up has been compiled, so the cache holds all of them
    process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  }
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(dirname(bundle));
  // The bundle's dynamic imports (--app, express) come here (see scripts/bundle-worker.mjs): V8 does not keep the
  // import() callback of functions restored from a cache made in another process, so they cannot import themselves.
  mod.initsockImport = (specifier) => import(specifier);
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, dirname(bundle));
}

const vm = require('node:vm');
// bun has neither V8's code cache nor CommonJS's Module.wrap: it runs the plain program (which says whether it can serve).
if (process.versions.bun || bundleIsStale()) {
  report(process.versions.bun ? `bun, running ${name}.js` : `stale bundle, running ${name}.js`);
  import(require('node:url').pathToFileURL(join(__dirname, `${name}.js`)).href);
} else {
  runBundle();
}
