// The README's API reference lists exactly what each package entry point exports (values and types alike).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../helpers/paths.js';

type Exports = Record<string, string | { types?: string }>;
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; exports: Exports };
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** Each entry point with types, as users import it: `initsock`, `initsock/client`, ... */
function entryPoints(): Array<[string, string]> {
  return Object.entries(pkg.exports).flatMap(([key, value]) =>
    typeof value === 'object' && value.types
      ? [[key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, join(repoRoot, value.types)] as [string, string]]
      : [],
  );
}

/** Every name a built declaration file exports, read by the TypeScript checker as a user's editor would. */
function exportedNames(dts: string): string[] {
  const program = ts.createProgram([dts], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(dts)!);
  assert.ok(module, `${dts} is not a module`);
  return checker
    .getExportsOfModule(module)
    .map((s) => s.name)
    .sort();
}

/** The README's reference for one entry point: from its `### \`entry\`` heading to the next heading. */
function referenceOf(entry: string): string {
  const start = readme.indexOf('## API reference');
  assert.ok(start >= 0, 'the README has an API reference');
  const heading = readme.indexOf(`### \`${entry}\`\n`, start);
  assert.ok(heading >= 0, `the API reference has a section for ${entry}`);
  const end = readme.slice(heading + 1).search(/\n#{2,3} /);
  return readme.slice(heading, end < 0 ? undefined : heading + 1 + end);
}

/**
 * The names a reference section documents: the backticked names (calls included) heading a list item, or a clause
 * of one after "; ", before its "`:" (as in "- `a(x)`, `B`: what they are; `C`: what it is").
 */
function documentedNames(section: string): string[] {
  const clauses = section
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .flatMap((line) => line.slice(2).split('; '));
  const heads = clauses
    .filter((c) => c.startsWith('`') && c.includes('`:'))
    .map((c) => c.slice(0, c.indexOf('`:') + 1));
  return heads.flatMap((head) => [...head.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)(?:\(.*?\))?`/g)].map((m) => m[1]!));
}

for (const [entry, dts] of entryPoints()) {
  test(`every name ${entry} exports is in the README's API reference, and nothing else is`, () => {
    const exported = exportedNames(dts);
    assert.ok(exported.length > 0, `${entry} exports something`);
    const documented = new Set(documentedNames(referenceOf(entry)));
    assert.deepEqual(
      exported.filter((name) => !documented.has(name)),
      [],
      `${entry} exports names the README does not document`,
    );
    assert.deepEqual(
      [...documented].filter((name) => !exported.includes(name)),
      [],
      `the README documents names ${entry} does not export`,
    );
  });
}

test('the reference covers every entry point of package.json', () => {
  assert.deepEqual(
    entryPoints().map(([entry]) => entry),
    ['initsock', 'initsock/client', 'initsock/jobs'],
  );
});
