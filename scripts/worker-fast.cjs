#!/usr/bin/env node
// initsock-worker, fast start: runs worker.bundle.cjs (the whole worker in one file) with V8's code cache, so little is compiled at start.
//
// This is a plain CommonJS program: `node --inspect worker-fast.cjs` debugs it; the same worker unbundled is
// dist/src/bin/worker.js. The cache is made by `npm run build` (scripts/bundle-worker.mjs) for one Node version
// and architecture; with any other, or when V8 rejects it, the bundle simply compiles as usual.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
// The CommonJS Module class, without loading the public node:module builtin (which pulls in the ESM loader).
const Module = module.constructor;
const vm = require('node:vm');

const bundle = join(__dirname, 'worker.bundle.cjs');
const cacheFile = join(__dirname, `worker.bundle.${process.version}-${process.arch}.cache`);

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined; // no cache for this Node: compile normally
  }
}

/** Compiles the bundle as Node's CommonJS loader would (same wrapper), with the cache when there is one. */
function compile(cachedData) {
  const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
  return new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
  });
}

const cachedData = readCache();
const script = compile(cachedData);
if (process.env.INITSOCK_CODE_CACHE_REPORT === '1') {
  // for tests and debugging: did V8 take the cache?
  process.stderr.write(`initsock code cache: ${cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
}
if (process.env.INITSOCK_WRITE_CODE_CACHE === '1') {
  delete process.env.INITSOCK_WRITE_CODE_CACHE;
  // on exit every function that ran at start-up has been compiled, so the cache holds all of them
  process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}
const mod = new Module(bundle, module);
mod.filename = bundle;
mod.paths = Module._nodeModulePaths(dirname(bundle));
// The bundle's dynamic imports come here (see scripts/bundle-worker.mjs): an import() in code restored from the
// cache would fail, because V8 does not keep the import callback of cached functions across processes.
mod.initsockImport = (specifier) => import(specifier);
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, dirname(bundle));
