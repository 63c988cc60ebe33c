// Generic files never name an init system's tools or branch on its name: that lives in src/service/<init>/ behind InitSystem.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

/** The registry files, which list the init systems by name on purpose. */
const REGISTRIES = ['src/service/types.ts', 'src/service/detect.ts', 'src/service/probes.ts'];
const WORDS = [
  /\b(systemctl|launchctl|journalctl|loginctl)\b/,
  /['"`](systemd|launchd)['"`]/,
  /LaunchAgents/,
  /=== ?'darwin'/,
];

function tsFiles(dir: string, deep: boolean): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return deep ? tsFiles(path, deep) : [];
    return path.endsWith('.ts') ? [path] : [];
  });
}

const generic = [
  ...tsFiles(join(repoRoot, 'install'), true),
  ...tsFiles(join(repoRoot, 'src', 'client'), true),
  ...tsFiles(join(repoRoot, 'src', 'service'), false),
]
  .map((p) => relative(repoRoot, p))
  .filter((p) => !REGISTRIES.includes(p));

test('no generic installer, client or service file names systemctl, launchctl, journalctl, a LaunchAgents folder or an init kind', () => {
  assert.ok(generic.length > 20, 'the scan found the generic files');
  const hits: string[] = [];
  for (const file of generic) {
    readFileSync(join(repoRoot, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.replace(/^\s*(\/\/|\*|\/\*\*).*$/, '').replace(/\s\/\/ .*$/, '');
        if (WORDS.some((w) => w.test(code))) hits.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(
    hits,
    [],
    'move these behind InitSystem (words, isManager, pristine, claimsPort) in src/service/<init>/',
  );
});
