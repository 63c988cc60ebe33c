// The merge rules of remembered options, the settings diff lines, and the line diff, as pure functions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineDiff } from '../../install/line-diff.js';
import { rememberedOptions, settingsChanges, startingOptions } from '../../install/remembered.js';
import type { ServiceConfig } from '../../src/service/types.js';

const cfg = { entry: '/pkg/worker.js', app: '/home/u/app.mjs', node: '/usr/bin/node' } as ServiceConfig;

test('flags given override the record; a repeated flag replaces the whole list; unknown record keys are ignored', () => {
  const start = startingOptions(
    { port: '39000', env: ['B=2'] },
    { port: '38000', env: ['A=1'], app: '/a.mjs', bogus: 'x' },
  );
  assert.deepEqual(start, { port: '39000', env: ['B=2'], app: '/a.mjs' });
  assert.deepEqual(startingOptions({ port: '1' }, null), { port: '1' });
});

test('only options that were given are recorded, paths as resolved', () => {
  assert.deepEqual(rememberedOptions({ app: './app.mjs', port: '38000', json: true }, cfg), {
    app: '/home/u/app.mjs',
    port: '38000',
  });
  assert.deepEqual(rememberedOptions({}, cfg), {}, 'the default entry and node are not pinned by a bare install');
});

test('settings changes read as flag old → new', () => {
  assert.deepEqual(
    settingsChanges({ app: '/a.mjs', port: '1' }, { port: '2', 'no-token': true, env: ['A=1', 'B=2'] }),
    ['--port 1 → 2', '--no-token none → on', '--app /a.mjs → none', '--env none → A=1 B=2'],
  );
  assert.deepEqual(settingsChanges({ port: '1' }, { port: '1' }), []);
});

test('line diff: changed lines with one line of context, the rest elided', () => {
  const a = ['1', '2', '3', '4', '5', '6', '7'].join('\n');
  const b = ['1', '2', '3', 'four', '5', '6', '7', '8'].join('\n');
  assert.deepEqual(lineDiff(a, b), ['  …', '  3', '- 4', '+ four', '  5', '  …', '  7', '+ 8']);
  assert.deepEqual(lineDiff('x\n', 'x\n'), ['  …']);
});
