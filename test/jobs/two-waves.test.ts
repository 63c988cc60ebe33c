// The two-wave experiment without an init system: 2 × 10 simultaneous triggers, the second wave mid-run → exactly 2 runs.
import { test } from 'node:test';
import { processDriver } from './driver.js';
import { twoWaves } from './scenario.js';

test('two waves of 10 triggers run the job exactly twice, back to back (process mode)', {
  timeout: 120_000,
}, async () => {
  await twoWaves(processDriver('jobs-waves'), 'mine:/src:convos');
});
