// Keys: any non-empty string maps to a distinct id that is safe as a file name and a unit name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isInitsockError } from '../../src/errors.js';
import { checkKey, jobId, jobUnit, MAX_KEY_LENGTH } from '../../src/jobs/key.js';

test('ids are unit-name safe, at most 49 characters, and differ when the keys do', () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }),
      fc.string({ minLength: 1, maxLength: 200 }),
      (a, b) => {
        const id = jobId(a);
        assert.match(jobUnit(id), /^[A-Za-z0-9_.-]+\.service$/);
        assert.ok(id.length <= 49, id);
        if (a !== b) assert.notEqual(id, jobId(b));
      },
    ),
  );
});

test('keys that share a readable part still get different ids', () => {
  assert.notEqual(jobId('a/b'), jobId('a:b'));
  assert.equal(jobId('a/b').slice(0, 4), 'a_b-');
  assert.match(jobId('///'), /^[0-9a-f]{16}$/, 'a key with nothing readable is its hash');
});

test('empty, NUL-bearing and over-long keys are refused as usage errors', () => {
  for (const bad of ['', 'a\0b', 'x'.repeat(MAX_KEY_LENGTH + 1)]) {
    assert.throws(
      () => checkKey(bad),
      (e) => isInitsockError(e, 'BAD_USAGE'),
    );
  }
  assert.equal(checkKey('ok key'), 'ok key');
});
