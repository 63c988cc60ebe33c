// The fallback worker's worker.log stays within 5 MiB × 3 files for the app's own stdout and stderr, not only the logger's lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';
import { LOG_MAX_FILES, LOG_MAX_SIZE } from '../../src/runtime/rotating-file.js';
import { freePort, runClient, sandbox, waitUntil } from './helpers.js';

const spewApp = join(distDir, 'test', 'fixtures', 'client', 'app-spew.js');

test('20 MiB of app output through console and process.stdout/stderr: worker.log rotates at 5 MiB and keeps 3 files', async (t) => {
  const box = sandbox('spew');
  t.after(() => box.cleanup());
  const port = await freePort();
  const env = { ...box.env, INITSOCK_APP: spewApp };
  const run = await runClient(['request', '--port', String(port), '--timeout', '60s', 'GET', '/spew?mib=20'], env);
  assert.equal(run.code, 0, run.stderr);
  const log = box.logFile();
  const files = [log, `${log}.1`, `${log}.2`];
  const all = () =>
    files
      .filter(existsSync)
      .map((f) => readFileSync(f, 'utf8'))
      .join('');
  // The logger's own lines are written once winston has loaded, shortly after start-up.
  await waitUntil(
    () => / error \[initsock-worker\] x{1023}\n/.test(all()),
    10_000,
    'console.error lines in worker.log',
  );
  for (const f of files) assert.ok(existsSync(f), `${f} is missing: the log did not rotate`);
  assert.equal(existsSync(`${log}.${LOG_MAX_FILES}`), false, 'more files than the bound');
  for (const f of files)
    assert.ok(statSync(f).size <= LOG_MAX_SIZE, `${f} is ${statSync(f).size} bytes, above ${LOG_MAX_SIZE}`);
  assert.match(all(), /^x{1023}$/m, 'raw stdout and stderr writes are kept');
});
