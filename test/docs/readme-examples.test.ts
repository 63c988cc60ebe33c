// The README's TypeScript examples compile as pasted, against the package's own published types (import from 'initsock').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageScratchDir, repoRoot } from '../helpers/paths.js';

/** Every ```ts block of the README that is a whole module (it starts with an import), in order. */
function examples(): string[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.startsWith('import '));
}

test('the README has the serve() and request guard examples', () => {
  const all = examples().join('\n');
  for (const name of ['serve(', 'createRequestGuard(', 'createUpgradeGuard('])
    assert.ok(all.includes(name), `no example uses ${name}`);
});

test('each README example compiles with tsc, strict, importing the built package by its name', (t) => {
  // Inside the repo, so 'initsock' resolves through package.json "exports" to the built types, as it does for users.
  const dir = packageScratchDir('readme');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = examples().map((code, i) => {
    const file = join(dir, `example-${i}.ts`);
    writeFileSync(file, code);
    return file;
  });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      files,
    }),
  );
  const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
    encoding: 'utf8',
  });
  assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
});
