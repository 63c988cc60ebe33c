// Golden files for every rendered systemd unit (test/golden/systemd/); INITSOCK_UPDATE_GOLDEN=1 rewrites them on purpose.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderServiceUnit, renderSocketUnit, systemdUnitFiles } from '../../../src/service/systemd/units.js';
import { repoRoot } from '../../helpers/paths.js';
import { cases } from './cases.js';

// Read from the repo (not dist/), so a rewrite lands in the files that are committed. CI never sets the variable.
const goldenDir = join(repoRoot, 'test', 'golden', 'systemd');
const update = process.env.INITSOCK_UPDATE_GOLDEN === '1';

function compareGolden(fileName: string, actual: string): void {
  const path = join(goldenDir, fileName);
  if (update) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(path, actual);
    console.log(`# rewrote ${path}`);
    return;
  }
  assert.ok(
    existsSync(path),
    `${path} is missing: run the tests once with INITSOCK_UPDATE_GOLDEN=1, review and commit it`,
  );
  assert.equal(
    actual,
    readFileSync(path, 'utf8'),
    `${fileName} differs from its golden file; if the change is intended, rerun with INITSOCK_UPDATE_GOLDEN=1 and review the diff`,
  );
}

for (const [name, cfg] of Object.entries(cases)) {
  test(`golden: ${name}.socket and ${name}.service`, () => {
    compareGolden(`${name}.socket`, renderSocketUnit(cfg));
    compareGolden(`${name}.service`, renderServiceUnit(cfg));
  });
}

test('systemdUnitFiles: <name>.socket then <name>.service in the unit dir, mode 0644, same content as the renderers', () => {
  const cfg = cases.hostile!;
  const files = systemdUnitFiles(cfg, '/home/u/.config/systemd/user');
  assert.deepEqual(
    files.map((f) => [f.path, f.mode]),
    [
      ['/home/u/.config/systemd/user/my.worker_2-x.socket', 0o644],
      ['/home/u/.config/systemd/user/my.worker_2-x.service', 0o644],
    ],
  );
  assert.equal(files[0]!.content, renderSocketUnit(cfg));
  assert.equal(files[1]!.content, renderServiceUnit(cfg));
});

test('rendering is deterministic and does not mutate the config', () => {
  const cfg = structuredClone(cases.hostile!);
  const first = systemdUnitFiles(cfg, '/u');
  assert.deepEqual(cfg, cases.hostile);
  assert.deepEqual(systemdUnitFiles(cfg, '/u'), first);
});
