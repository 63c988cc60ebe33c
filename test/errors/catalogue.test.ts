// The catalogue is complete and lean (every raised code listed, every listed code raised), documented, and drives exit codes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERROR_CATALOGUE, exitCodeFor, InitsockError } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';
import { BEGIN, END, codeTables } from './errors-doc.js';

/** Every .ts file under the shipped source folders. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const shipped = [...sources(join(repoRoot, 'src')), ...sources(join(repoRoot, 'install'))].filter(
  (p) => !p.endsWith(join('src', 'errors.ts')),
);
const text = shipped.map((p) => readFileSync(p, 'utf8')).join('\n');
const codes = Object.keys(ERROR_CATALOGUE);

test('every code in the catalogue is raised somewhere in src/ or install/ (unused codes go)', () => {
  const unused = codes.filter((c) => !text.includes(`'${c}'`));
  assert.deepEqual(unused, []);
});

test('every quoted upper-case code passed to InitsockError is in the catalogue', () => {
  const raised = new Set([...text.matchAll(/InitsockError\(\s*'([A-Z_]+)'/g)].map((m) => m[1]!));
  assert.ok(raised.size > 10, 'the scan found the raise sites');
  assert.deepEqual(
    [...raised].filter((c) => !codes.includes(c)),
    [],
  );
});

test('exit codes come from the kind, per program', () => {
  const err = (code: keyof typeof ERROR_CATALOGUE, details = {}) => new InitsockError(code, 'x', { details });
  assert.deepEqual(
    ['BAD_USAGE', 'NO_INIT_SYSTEM', 'COMMAND_FAILED', 'UNSAFE_PATH'].map((c) =>
      exitCodeFor('install-service', err(c as never)),
    ),
    [2, 3, 1, 2],
  );
  assert.equal(
    exitCodeFor('install-service', err('INVALID_VALUE', { rolledBack: [] })),
    1,
    'rolled back: a failure, not bad input',
  );
  assert.deepEqual(
    ['INVALID_VALUE', 'TIMEOUT', 'BAD_TOKEN_FILE', 'NOT_ACTIVATED'].map((c) =>
      exitCodeFor('initsock', err(c as never)),
    ),
    [2, 7, 7, 7],
  );
  assert.ok(codes.every((c) => exitCodeFor('initsock-worker', err(c as never)) === 78));
  for (const program of ['install-service', 'initsock', 'initsock-worker'] as const)
    assert.equal(exitCodeFor(program, new Error('bug')), 1);
});

test('docs/errors.md lists every code with its kind and meaning, and the exit codes, as the catalogue says', () => {
  const page = join(repoRoot, 'docs', 'errors.md');
  const doc = readFileSync(page, 'utf8');
  const [start, end] = [doc.indexOf(BEGIN), doc.indexOf(END)];
  assert.ok(start >= 0 && end > start, `${page} lacks the generated block`);
  const current = doc.slice(start, end + END.length);
  if (process.env.INITSOCK_UPDATE_GOLDEN === '1' && current !== codeTables()) {
    writeFileSync(
      page,
      doc.replace(current, () => codeTables()),
    );
    return;
  }
  assert.equal(
    current,
    codeTables(),
    'docs/errors.md is stale; rerun with INITSOCK_UPDATE_GOLDEN=1 and review the diff',
  );
});
