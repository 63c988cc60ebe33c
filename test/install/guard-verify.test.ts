// install checks that a worker given a token enforces it (401 without it, 403 for a foreign Host), else fails, says how, and rolls back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, Harness } from './harness.js';

test('a worker that enforces its token passes; the plan names the guard check', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const r = await h.cli(['--port', String(await freePort())]);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.err,
    /verify the guard: GET http:\/\/127\.0\.0\.1:\d+\/initsock-guard-check without the token answers 401, and a foreign Host 403/,
  );
});

test('a worker that ignores its token: install fails with how to enable the guard, and nothing stays installed', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  const before = h.snapshot();
  h.fake.guarded = false;
  const r = await h.cli(['--port', String(await freePort())]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.err, /does not enforce it: GET \/initsock-guard-check without the token answered 503, not 401/);
  assert.match(r.err, /serve\(\) from initsock/);
  assert.match(r.err, /--no-token/);
  assert.doesNotMatch(r.out, /installed/);
  assert.deepEqual(h.snapshot(), before, 'rolled back: no unit, no token');
  assert.equal(h.fake.listening, null);
});

test('--no-token installs without the guard check (there is no token to enforce)', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  h.fake.guarded = false;
  const r = await h.cli(['--port', String(await freePort()), '--no-token']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /verify the guard/);
});
