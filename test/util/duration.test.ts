// Table tests for the duration parser shared by the worker flags and the installer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { formatDuration, MAX_TIMER_MS, parseDuration } from '../../src/util/duration.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initsockBin, repoRoot, workerBin } from '../helpers/paths.js';
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
    assert.throws(
      () => parseDuration(bad, '--idle-timeout'),
      (err: unknown) =>
        isInitsockError(err, 'INVALID_VALUE') && err.message.includes('--idle-timeout') && err.message.includes('30s'),
      bad,
    );
  }
});

test('formatDuration round-trips through parseDuration', () => {
  for (const ms of [0, 250, 1000, 1500, 30_000, 600_000, 3_600_000]) {
    assert.equal(parseDuration(formatDuration(ms)), ms);
  }
  assert.equal(formatDuration(600_000), '10min');
  assert.equal(formatDuration(1500), '1500ms');
});

test('durations above Node timer limit (2^31-1 ms) are refused by name, not cut to 1 ms later', () => {
  assert.equal(parseDuration('596h'), 596 * 3_600_000);
  assert.equal(parseDuration(`${MAX_TIMER_MS}ms`), MAX_TIMER_MS);
  for (const value of ['597h', `${MAX_TIMER_MS + 1}ms`, '600h', '1e400', '99999999999999999999h']) {
    assert.throws(
      () => parseDuration(value, '--idle-timeout'),
      (err) =>
        isInitsockError(err, 'INVALID_VALUE') &&
        /is (longer than Node's timer limit of 2147483647 ms .*Use at most 596h, or 0 to never exit on idle|not a duration)/.test(
          err.message,
        ),
      value,
    );
  }
});

test('the bins that parse durations refuse 597h at once: the worker exits 78, the client 2', () => {
  const worker = spawnSync(process.execPath, [workerBin, '--idle-timeout', '597h'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(worker.status, 78, worker.stderr);
  assert.match(worker.stderr, /--idle-timeout "597h" is longer than Node's timer limit/);
  const client = spawnSync(process.execPath, [initsockBin, 'request', '--timeout', '600h', 'GET', '/health'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(client.status, 2, client.stderr);
  assert.match(client.stderr, /--timeout "600h" is longer than Node's timer limit/);
});

test("the README quotes the timer limit from the parser's constant", () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  assert.ok(
    readme.includes(`Node's timer limit of ${MAX_TIMER_MS} ms, about ${Math.floor(MAX_TIMER_MS / 3_600_000)} h`),
  );
});
