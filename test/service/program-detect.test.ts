// Resolving a program's command (PATH, stable paths) and telling its runtime (name or #! line) for --adopt.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveCommand } from '../../src/service/command-path.js';
import { adoptRuntime, detectRuntime, shebangInterpreter } from '../../src/service/runtime-detect.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('program-detect');
function file(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

const runtimes: Array<[string, string, string | null]> = [
  ['node', '', 'node'],
  ['nodejs', '', 'node'],
  ['node22', '', 'node'],
  ['bun', '', 'bun'],
  ['python3', '', 'python'],
  ['python3.11', '', 'python'],
  ['mm', '#!/usr/bin/python3\n', 'python'], // a console script
  ['cli.js', '#!/usr/bin/env node\n', 'node'],
  ['worker.ts', '#!/usr/bin/env -S bun --smol\n', 'bun'], // env -S with the runtime's own flags
  ['tool', '#!/usr/bin/env FOO=1 python3 -u\n', 'python'], // an env assignment before the program
  ['run.sh', '#!/bin/sh\n', null],
  ['data', 'no shebang\n', null],
];
for (const [name, text, want] of runtimes) {
  test(`runtime of ${name}${text ? ` (${text.trim()})` : ''}: ${want}`, () => {
    assert.equal(detectRuntime(file(join(dir, 'rt', name), text)), want);
  });
}

test('a link is judged by its target too (node_modules/.bin/bun → the real binary)', () => {
  const real = file(join(dir, 'pkg', 'bin', 'bun'), '\x7fELF');
  symlinkSync(real, join(dir, 'rt', 'runner'));
  assert.equal(detectRuntime(join(dir, 'rt', 'runner')), 'bun');
});

test('--adopt refuses a program whose runtime it cannot tell, naming what it supports and the other modes', () => {
  assert.throws(
    () => adoptRuntime(join(dir, 'rt', 'run.sh')),
    /--adopt cannot tell which runtime .*run\.sh runs: it is not node, bun or python.*--exec.*--proxy-port/,
  );
});

test('shebangInterpreter: the first word, or the program env runs', () => {
  assert.equal(shebangInterpreter('/usr/bin/python3 -u'), '/usr/bin/python3');
  assert.equal(shebangInterpreter('/usr/bin/env -S node --no-warnings'), 'node');
  assert.equal(shebangInterpreter('/usr/bin/env'), null);
});

test('a bare name: the first stable copy on PATH, with a warning when a version-manager copy came first', () => {
  const shim = file(join(dir, 'home', '.pyenv', 'shims', 'uvicorn'), '#!/bin/sh\n');
  const system = file(join(dir, 'usr', 'bin', 'uvicorn'), '#!/usr/bin/python3\n');
  const env = { PATH: `${join(dir, 'home', '.pyenv', 'shims')}:${join(dir, 'usr', 'bin')}` };
  const r = resolveCommand('--exec command', 'uvicorn', env, (p) => p);
  assert.equal(r.path, system);
  assert.match(
    r.warnings.join(''),
    new RegExp(`first one on your PATH, ${shim}, belongs to pyenv.*runs ${system} instead`),
  );
  const only = resolveCommand('--exec command', 'uvicorn', { PATH: join(dir, 'home', '.pyenv', 'shims') }, (p) => p);
  assert.equal(only.path, shim);
  assert.match(only.warnings.join(''), /belongs to pyenv; that path changes or disappears/);
  assert.deepEqual(
    resolveCommand('--exec command', 'uvicorn', { PATH: join(dir, 'usr', 'bin') }, (p) => p).warnings,
    [],
  );
});

test('a path with a slash is taken as given (made absolute by the caller); a missing name says PATH', () => {
  assert.equal(resolveCommand('--exec command', './x', {}, (p) => join('/abs', p)).path, '/abs/x');
  assert.throws(
    () => resolveCommand('--exec command', 'nope', { PATH: '/nonexistent' }, (p) => p),
    /"nope" is not on your PATH \(\/nonexistent\)/,
  );
});
