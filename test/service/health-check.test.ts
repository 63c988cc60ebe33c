// The --health-path and --health-status grammar: each accepted spelling, its round trip through the worker flag, and each refusal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatHealthStatus,
  parseHealthPath,
  parseHealthStatus,
  programHealth,
  statusAccepted,
} from '../../src/service/health-check.js';

const statuses: Array<[string, Array<[number, number]>]> = [
  ['200', [[200, 200]]],
  ['200-299', [[200, 299]]], // a range
  [
    '200-299,304',
    [
      [200, 299],
      [304, 304],
    ],
  ], // a range and a code
  [
    ' 200 , 204 ',
    [
      [200, 200],
      [204, 204],
    ],
  ], // spaces around items
];
for (const [text, ranges] of statuses) {
  test(`--health-status ${JSON.stringify(text)}`, () => {
    assert.deepEqual(parseHealthStatus(text), ranges);
    assert.deepEqual(parseHealthStatus(formatHealthStatus(ranges)), ranges, 'the worker flag reads back the same');
  });
}

for (const bad of ['', '2xx', '600', '099', '200-', '300-200', '200;204', 'ok']) {
  test(`--health-status ${JSON.stringify(bad)} is refused`, () => {
    assert.throws(() => parseHealthStatus(bad), /INVALID_VALUE|is not a list of HTTP statuses/);
  });
}

test('--health-path: a route with an optional query; no spaces, controls or relative paths', () => {
  assert.equal(parseHealthPath('/api/health?deep=1'), '/api/health?deep=1');
  for (const bad of ['health', '/a b', '/a\tb', ''])
    assert.throws(() => parseHealthPath(bad), /--health-path .* is not a request path/, bad);
});

test('the default for a program: GET /health, any 2xx', () => {
  const check = programHealth();
  assert.equal(check.path, '/health');
  assert.deepEqual(
    [199, 200, 204, 299, 300].map((s) => statusAccepted(check, s)),
    [false, true, true, true, false],
  );
});
