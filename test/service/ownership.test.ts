// Ownership marks: every file install-service renders carries one (so it recognises its own later); foreign files are named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLaunchdPlist } from '../../src/service/launchd/plist.js';
import { foreignFiles, hasOwnMark, notOurs } from '../../src/service/ownership.js';
import { systemdUnitFiles } from '../../src/service/systemd/units.js';
import { scratchDir } from '../helpers/paths.js';
import { baseConfig, context, hostileConfig, noCommands } from './launchd/fixtures.js';
import { cases } from './systemd/cases.js';

test('every rendered systemd unit and LaunchAgent plist carries the mark, hostile inputs included', () => {
  for (const [name, cfg] of Object.entries(cases)) {
    for (const f of systemdUnitFiles(cfg, '/u')) assert.ok(hasOwnMark(f.content), `${name}: ${f.path}`);
  }
  for (const cfg of [baseConfig(), hostileConfig()])
    assert.ok(hasOwnMark(renderLaunchdPlist(cfg, context(noCommands)).content));
});

test('a file without the mark, a symlink and a folder are foreign; absent and marked files are not', (t) => {
  const d = scratchDir('own');
  t.after(() => rmSync(d, { recursive: true, force: true }));
  const ours = systemdUnitFiles(cases.default!, d)[0]!;
  writeFileSync(ours.path, ours.content);
  writeFileSync(
    join(d, 'mine.service'),
    '[Service]\nExecStart=/bin/true\n# Written by initsock install-service (quoted later)\n'.repeat(2),
  );
  symlinkSync(ours.path, join(d, 'link.socket'));
  mkdirSync(join(d, 'dir.service'));
  const found = foreignFiles([
    ours.path,
    join(d, 'absent.socket'),
    join(d, 'mine.service'),
    join(d, 'link.socket'),
    join(d, 'dir.service'),
  ]);
  assert.deepEqual(
    found.map((f) => f.path),
    [join(d, 'mine.service'), join(d, 'link.socket'), join(d, 'dir.service')],
  );
  assert.match(found[0]!.why, /does not start with "# Written by initsock install-service"/);
  const err = notOurs('mine', 'install', found);
  assert.equal(err.code, 'NOT_INITSOCK_UNIT');
  assert.match(
    err.message,
    /^refusing to install mine: it is not an initsock service: .*mine\.service \(it does not start with/,
  );
});

test('a file the settings record lists stays ours without its mark (edited by hand), a foreign one does not', (t) => {
  const d = scratchDir('own-rec');
  t.after(() => rmSync(d, { recursive: true, force: true }));
  writeFileSync(join(d, 'w.service'), '[Service]\nExecStart=/bin/true\n');
  writeFileSync(join(d, 'other.service'), '[Service]\nExecStart=/bin/true\n');
  const found = foreignFiles([join(d, 'w.service'), join(d, 'other.service')], (p) => p === join(d, 'w.service'));
  assert.deepEqual(
    found.map((f) => f.path),
    [join(d, 'other.service')],
  );
});
