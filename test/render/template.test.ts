// fillTemplate: whole-value placeholders, list values repeat or drop a line, and every mistake is a named TEMPLATE_ERROR.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isInitsockError } from '../../src/errors.js';
import { fillTemplate, readUnitTemplate } from '../../src/render/template.js';
import { repoRoot } from '../helpers/paths.js';

function templateError(fn: () => unknown, ...fragments: RegExp[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isInitsockError(err, 'TEMPLATE_ERROR'), `expected TEMPLATE_ERROR, got ${String(err)}`);
    assert.match(err.message, /t\.in/, 'the message names the template');
    for (const f of fragments) assert.match(err.message, f);
    return true;
  });
}

test('a string value fills its Key= line; other lines pass through untouched', () => {
  const text = '# comment\n[Unit]\nDescription={{description}}\n\nAccept=no\n';
  assert.equal(
    fillTemplate(text, { description: 'hello world' }, 't.in'),
    '# comment\n[Unit]\nDescription=hello world\n\nAccept=no\n',
  );
});

test('a list value repeats its line per item, in order; an empty list drops the line', () => {
  const text = 'A=1\nEnvironment={{env}}\nWorkingDirectory={{dir}}\nB=2';
  assert.equal(
    fillTemplate(text, { env: ['"X=1"', '"Y=2"'], dir: [] }, 't.in'),
    'A=1\nEnvironment="X=1"\nEnvironment="Y=2"\nB=2',
  );
});

test('a dropped line takes the comment lines right above it along, and nothing else', () => {
  const text = '# about A\nA=1\n# about dir\n# more about dir\nWorkingDirectory={{dir}}\n# about B\nB=2';
  assert.equal(fillTemplate(text, { dir: [] }, 't.in'), '# about A\nA=1\n# about B\nB=2');
});

test('values are inserted verbatim and never re-scanned for placeholders', () => {
  assert.equal(fillTemplate('K={{v}}', { v: '{{other}} %h $X' }, 't.in'), 'K={{other}} %h $X');
});

test('a placeholder with no value is refused, naming the template, line and key', () => {
  templateError(() => fillTemplate('A=1\nK={{missing}}', {}, 't.in'), /line 2/, /\{\{missing\}\}/);
});

test('an unused value is refused, so a typo cannot silently fall back to a default', () => {
  templateError(() => fillTemplate('K={{used}}', { used: 'x', tpyo: 'y' }, 't.in'), /"tpyo"/);
});

test('a placeholder that is not the whole value of a Key= line is refused', () => {
  for (const line of [
    'ListenStream={{host}}:{{port}}',
    'Description=worker {{name}}',
    '{{lines}}',
    '# {{name}}',
    'K= {{v}}',
    'K={{v}} ',
    'K={{ v }}',
    'K={{v}',
  ]) {
    templateError(
      () => fillTemplate(line, { host: 'h', port: '1', name: 'n', lines: 'l', v: 'v' }, 't.in'),
      /not the whole value/,
    );
  }
});

test('a value with a line break or NUL is refused even though the escaper should have caught it', () => {
  for (const bad of ['a\nB=2', 'a\r', 'a\0', ['ok', 'x\ny']]) {
    templateError(() => fillTemplate('K={{v}}', { v: bad }, 't.in'), /single-line/);
  }
});

test('inherited object keys are not values: {{constructor}} is missing, not Object', () => {
  templateError(() => fillTemplate('K={{constructor}}', {}, 't.in'), /no value/);
});

test('the shipped unit templates are read from the package units/ folder', () => {
  for (const name of ['initsock.socket.in', 'initsock.service.in']) {
    assert.equal(readUnitTemplate(name), readFileSync(join(repoRoot, 'units', name), 'utf8'));
  }
  assert.throws(
    () => readUnitTemplate('nope.in'),
    (err: unknown) => isInitsockError(err, 'TEMPLATE_ERROR') && /nope\.in/.test(err.message),
  );
});

test('every directive in the shipped templates has a comment line right above it', () => {
  for (const name of ['initsock.socket.in', 'initsock.service.in']) {
    const lines = readUnitTemplate(name).split('\n');
    lines.forEach((line, i) => {
      if (!/^[A-Za-z]+=/.test(line)) return;
      assert.match(lines[i - 1] ?? '', /^# /, `${name} line ${i + 1} (${line}) has no comment right above it`);
    });
  }
});
