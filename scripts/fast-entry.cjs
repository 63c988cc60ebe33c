#!/usr/bin/env node
// The bins' fast start (copied as dist/src/bin/NAME-fast.cjs): runs NAME.bundle.cjs, one CommonJS file, not the ESM module graph.
//
// This is a plain CommonJS program: `node --inspect worker-fast.cjs` debugs it; the same program unbundled is
// dist/src/bin/NAME.js. `npm run build` (scripts/bundle-worker.mjs) makes the bundle. When tsc has rebuilt a file
// since the bundle was made, this runs NAME.js instead, so a stale bundle never runs; bun runs NAME.js too (it says
// itself whether it can serve). INITSOCK_ENTRY_REPORT=1 says which path it took.
'use strict';
const { existsSync, statSync } = require('node:fs');
const { basename, join } = require('node:path');

const name = basename(__filename).replace(/-fast\.cjs$/, ''); // "worker", "initsock", "install-service"
const bundle = join(__dirname, `${name}.bundle.cjs`);
const report =
  process.env.INITSOCK_ENTRY_REPORT === '1' ? (what) => process.stderr.write(`initsock entry: ${what}\n`) : () => {};

/**
 * True when the bundle is missing, or, in a source checkout (tsconfig.json beside dist/), older than NAME.js: tsc
 * rewrites every file it emits, so a newer NAME.js means tsc ran and the bundle step did not. An installed package
 * has no tsconfig.json, and npm does not keep the files' times (it writes them in any order), so there the bundle runs.
 */
function bundleIsStale() {
  try {
    const built = statSync(bundle).mtimeMs;
    if (!existsSync(join(__dirname, '..', '..', '..', 'tsconfig.json'))) return false;
    return statSync(join(__dirname, `${name}.js`)).mtimeMs > built;
  } catch {
    return true;
  }
}

if (process.versions.bun || bundleIsStale()) {
  report(process.versions.bun ? `bun, running ${name}.js` : `stale bundle, running ${name}.js`);
  import(require('node:url').pathToFileURL(join(__dirname, `${name}.js`)).href);
} else {
  report('bundle');
  require(bundle);
}
