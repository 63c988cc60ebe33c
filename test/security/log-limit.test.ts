// The refusal-log cap: a flood of refused requests logs a bounded number of lines, then says how many it skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitLogger } from '../../src/security/log-limit.js';
import { httpRequest, rawRequest, startGuarded } from './http-helpers.js';

test('limitLogger logs at most max lines a window, then reports the count with the next window', () => {
  const lines: string[] = [];
  let t = 0;
  const log = limitLogger(
    {
      warn: (m) => {
        lines.push(m);
      },
    },
    { max: 3, windowMs: 1000, now: () => t },
  );
  for (let i = 0; i < 10; i += 1) log.warn(`refused ${i}`);
  assert.deepEqual(lines, ['refused 0', 'refused 1', 'refused 2']);
  t = 999;
  log.warn('still the same window');
  assert.equal(lines.length, 3);
  t = 1000;
  log.warn('next window');
  assert.deepEqual(lines.slice(3), [
    'initsock guard: 8 more refusal(s) were not logged (at most 3 per 1s)',
    'next window',
  ]);
});

test('the guard logs a flood of refusals up to its limit (real requests)', async () => {
  const srv = await startGuarded(() => ({ logLimit: { max: 5, windowMs: 3_600_000 } }));
  try {
    for (let i = 0; i < 20; i += 1) {
      assert.equal((await rawRequest(srv.port, httpRequest([`Host: evil.example:${srv.port}`]))).status, 403);
    }
    assert.equal(srv.logs.length, 5, 'every request is still refused, but only 5 are logged');
  } finally {
    await srv.close();
  }
});
