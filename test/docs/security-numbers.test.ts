// The numbers SECURITY.md quotes are read from the code's own constants, so the page cannot drift from what runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, TIMEOUT_CHECK_INTERVAL_MS } from '../../src/runtime/http-limits.js';
import { LOG_MAX_FILES, LOG_MAX_SIZE } from '../../src/runtime/rotating-file.js';
import { REFUSAL_LINES_PER_WINDOW, REFUSAL_WINDOW_MS } from '../../src/security/log-limit.js';
import { TOKEN_BYTES } from '../../src/security/token.js';
import { repoRoot } from '../helpers/paths.js';

const page = readFileSync(join(repoRoot, 'SECURITY.md'), 'utf8').replace(/\s+/g, ' ');

/** Every number the pattern captures on the page; the pattern must match at least once. */
function quoted(re: RegExp): number[] {
  const hits = [...page.matchAll(new RegExp(re, 'g'))].map((m) => Number(m[1]));
  assert.ok(hits.length > 0, `SECURITY.md no longer says ${re}`);
  return hits;
}

const rows: Array<[string, RegExp, number]> = [
  ['headers timeout (s)', /`headersTimeout` is (\d+) s/, HEADERS_TIMEOUT_MS / 1000],
  ['request timeout (s)', /`requestTimeout` is (\d+) s/, REQUEST_TIMEOUT_MS / 1000],
  ['timeout check interval (s)', /checked every (\d+) s/, TIMEOUT_CHECK_INTERVAL_MS / 1000],
  [
    'refusal lines per minute',
    /at most (\d+) lines a minute/,
    REFUSAL_WINDOW_MS === 60_000 ? REFUSAL_LINES_PER_WINDOW : NaN,
  ],
  ['token size (bytes)', /random (\d+)-byte token/, TOKEN_BYTES],
  ['log rotation size (MiB)', /rotates at (\d+) MiB/, LOG_MAX_SIZE / 1024 / 1024],
  ['log files kept', /rotates at \d+ MiB and keeps (\d+) files/, LOG_MAX_FILES],
];

for (const [what, re, value] of rows) {
  test(`SECURITY.md quotes the code's ${what}`, () => {
    for (const n of quoted(re)) assert.equal(n, value, `SECURITY.md says ${n} for the ${what}; the code uses ${value}`);
  });
}

test('every function SECURITY.md tells users to call is exported by the package', async () => {
  const api = (await import('../../src/index.js')) as Record<string, unknown>;
  const named = [...page.matchAll(/`(create[A-Za-z]+|readToken|ensureToken|tokenPath|serve)(?:\(|`)/g)].map(
    (m) => m[1]!,
  );
  assert.ok(named.includes('createUpgradeGuard'));
  for (const name of new Set(named))
    assert.equal(typeof api[name], 'function', `SECURITY.md names ${name}, which initsock does not export`);
});
