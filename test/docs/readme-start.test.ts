// The README opens with the two commands a newcomer needs: one that installs and runs the worker, one that runs the
// whole test suite exactly as CI does (.ci/run); and the files it and the contributor pages link to exist.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The commands of the README's first code block, comments stripped. */
function firstCommands(): string[] {
  const block = /^```sh\n([\s\S]*?)```/m.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

test('the README starts with the install command and the exact test command of .ci/run', () => {
  assert.ok(readme.indexOf('```sh') < readme.indexOf('\n## '), 'the commands come before the first section');
  const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8')
    .trim()
    .split('\n')
    .at(-1);
  const [install, tests] = firstCommands();
  assert.match(install ?? '', /npm start|install-service/);
  assert.equal(tests, ci);
});

test('every local file the README and the contributor pages link to exists', () => {
  for (const page of ['README.md', 'CONTRIBUTING.md', 'ARCHITECTURE.md', 'CHANGELOG.md', 'SECURITY.md']) {
    const text = readFileSync(join(repoRoot, page), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)#:\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    if (page === 'README.md') assert.ok(targets.includes('CONTRIBUTING.md') && targets.includes('bench/summary.md'));
    for (const target of new Set(targets))
      assert.ok(existsSync(join(repoRoot, target)), `${page} links to ${target}, which does not exist`);
  }
});
