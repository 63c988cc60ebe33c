// Importing the launchd source must not load koffi: only activate() does, so Linux start-up never pays for it.
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
const { launchdSource } = await import(process.argv[1]);
const source = launchdSource({ socketName: 'Listeners', library: '/nonexistent.dylib' });
const afterImport = koffiLoaded();
let code = null;
try { source.activate(); } catch (err) { code = err.code; }
console.log(JSON.stringify({ afterImport, afterActivate: koffiLoaded(), code }));
`;

test('koffi is loaded on the first activate(), not at import', () => {
  const mod = pathToFileURL(join(distDir, 'src', 'activation', 'launchd.js')).href;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, mod], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { afterImport: false, afterActivate: true, code: 'FFI_UNAVAILABLE' });
});
