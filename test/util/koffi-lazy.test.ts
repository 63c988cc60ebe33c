// Importing a worker's, a proxy's, a job runner's or a hook's entry must not load koffi: only the first FFI call does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir } from '../helpers/paths.js';

const script = `
import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
const koffiLoaded = () => Object.keys(req.cache).some((k) => k.includes('/koffi/'));
for (const entry of process.argv.slice(1, -1)) await import(entry);
const afterImport = koffiLoaded();
const { loadKoffi } = await import(process.argv.at(-1));
loadKoffi();
console.log(JSON.stringify({ afterImport, afterLoad: koffiLoaded() }));
`;

const built = (...parts: string[]) => pathToFileURL(join(distDir, 'src', ...parts)).href;

test('the worker, proxy, job runner and hook entries load koffi only at the first FFI call', () => {
  const entries = [
    built('worker', 'main.js'),
    built('proxy', 'run.js'),
    built('jobs', 'runner.js'),
    built('client', 'cli.js'),
  ];
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', script, ...entries, built('util', 'koffi.js')],
    { encoding: 'utf8' },
  );
  assert.deepEqual(JSON.parse(out), { afterImport: false, afterLoad: true });
});
