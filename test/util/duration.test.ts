// Table tests for the duration parser shared by the worker flags and the installer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../src/util/duration.js';
import { isInitsockError } from '../../src/errors.js';

test('parseDuration accepts the units people write', () => {
  const rows: Array<[string, number]> = [
    ['0', 0], // zero means never
    ['30', 30_000], // a bare number is seconds, like systemd
    ['250ms', 250],
    ['30s', 30_000],
    ['1.5s', 1500],
    ['10min', 600_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [' 5 sec ', 5000], // surrounding space is tolerated
  ];
  for (const [input, ms] of rows) assert.equal(parseDuration(input), ms, input);
});

test('parseDuration rejects garbage with a message naming the option', () => {
  for (const bad of ['', 'soon', '-5s', '5 parsecs', '1e3', 'NaN', '5s5']) {
    assert.throws(() => parseDuration(bad, '--idle-timeout'), (err: unknown) =>
      isInitsockError(err, 'INVALID_VALUE') && err.message.includes('--idle-timeout') && err.message.includes('30s'), bad);
  }
});

test('formatDuration round-trips through parseDuration', () => {
  for (const ms of [0, 250, 1000, 1500, 30_000, 600_000, 3_600_000]) {
    assert.equal(parseDuration(formatDuration(ms)), ms);
  }
  assert.equal(formatDuration(600_000), '10min');
  assert.equal(formatDuration(1500), '1500ms');
});
