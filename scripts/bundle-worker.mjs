#!/usr/bin/env node
// Build step after tsc: bundles each bin (the worker, the `initsock` CLI, install-service) into one CommonJS file.
//
// For NAME in worker, initsock, install-service it makes, next to dist/src/bin/NAME.js (which keeps working unchanged):
//   NAME.bundle.cjs (+ .map)   the whole program in one CommonJS file (esbuild); run it directly to debug
//   NAME-fast.cjs              the entry package.json's bin points at (scripts/fast-entry.cjs): runs the bundle
// Everything lives in dist/src/bin, which package.json "files" already publishes. No V8 code cache is shipped:
// measured side by side it bought nothing over the bundle alone, and it only fits the build machine's Node version.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'dist', 'src', 'bin');

/**
 * esbuild turns `import.meta` into {} in CommonJS output. Give each of our files (dist/src/**) back its own URL,
 * computed at run time from the bundle's location, so paths.ts (packageRoot) and createRequire(import.meta.url)
 * still resolve from where that file lives in dist/.
 */
const rewrite = {
  name: 'initsock-rewrite',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const rel = JSON.stringify(relative(binDir, args.path).split('\\').join('/'));
      const url = `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${rel})).href`;
      return { contents: text.replaceAll('import.meta.url', `(${url})`), loader: 'js' };
    });
  },
};

/** Bundles dist/src/bin/NAME.js, installs NAME-fast.cjs and removes what older builds left (code caches). */
async function bundleBin(name) {
  const bundle = join(binDir, `${name}.bundle.cjs`);
  await build({
    entryPoints: [join(binDir, `${name}.js`)],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true, // maps back through tsc's maps to src/*.ts
    // Left in node_modules: koffi (a native addon, loaded lazily), express (only with --app) and winston (the runtime
    // loads it after start-up, and only what the command needs): the bundle holds what a cold start runs.
    external: ['koffi', 'express', 'winston'],
    plugins: [rewrite],
    logLevel: 'warning',
    legalComments: 'none',
  });
  const fast = join(binDir, `${name}-fast.cjs`);
  copyFileSync(join(root, 'scripts', 'fast-entry.cjs'), fast);
  chmodSync(fast, 0o755);
  chmodSync(bundle, 0o755);
  for (const f of readdirSync(binDir)) {
    if (f.startsWith(`${name}.bundle.`) && (f.endsWith('.cache') || f.endsWith('.inputs.json')))
      rmSync(join(binDir, f));
  }
}

for (const name of ['worker', 'initsock', 'install-service']) await bundleBin(name);
