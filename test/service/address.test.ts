// The installed-address probes: ListenStream= and SockNodeName/SockServiceName parsing, and the lookup by service name.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findInstalledAddress, formatAddress } from '../../src/service/address.js';
import { listenOfPlist } from '../../src/service/launchd/address.js';
import { RECORD_FORMAT, recordPath, serializeRecord } from '../../src/service/record.js';
import { listenOfUnit, parseListenStream } from '../../src/service/systemd/address.js';
import { initSystemFor } from '../../src/service/detect.js';
import { scratchDir } from '../helpers/paths.js';

test('ListenStream= values: IPv4, [IPv6], bare port; paths, names and bad ports are not TCP addresses', () => {
  const rows: Array<[string, { host: string; port: number } | null]> = [
    ['127.0.0.1:38000', { host: '127.0.0.1', port: 38000 }],
    ['[::1]:38000', { host: '::1', port: 38000 }],
    ['38000', { host: '127.0.0.1', port: 38000 }], // every address: loopback answers
    ['/run/x.sock', null],
    ['localhost:38000', null],
    ['127.0.0.1:70000', null],
    [':38000', null],
    ['127.0.0.138000', null],
  ];
  for (const [value, expected] of rows) assert.deepEqual(parseListenStream(value), expected, value);
});

test('a unit: the first TCP ListenStream=, an empty assignment resets the list, comments are skipped', () => {
  assert.deepEqual(
    listenOfUnit('[Socket]\n# ListenStream=127.0.0.1:1\nListenStream=/run/a.sock\nListenStream=[::1]:4000\n'),
    { host: '::1', port: 4000 },
  );
  assert.equal(listenOfUnit('[Socket]\nListenStream=127.0.0.1:1\nListenStream=\n'), null);
});

test('a plist: SockNodeName and SockServiceName; no node name means every address', () => {
  const plist = (node: string) =>
    `<dict><key>Sockets</key><dict><key>Listeners</key><dict>${node}` +
    '<key>SockServiceName</key>\n  <string>38001</string></dict></dict></dict>';
  assert.deepEqual(listenOfPlist(plist('<key>SockNodeName</key><string>::1</string>')), { host: '::1', port: 38001 });
  assert.deepEqual(listenOfPlist(plist('')), { host: '127.0.0.1', port: 38001 });
  assert.equal(listenOfPlist('<dict></dict>'), null);
});

test('findInstalledAddress: the unit of that name, else the plist its record lists (a custom label), else null', (t) => {
  const home = scratchDir('address');
  const env = { HOME: home };
  const ctx = { env, home };
  assert.equal(findInstalledAddress('svc', ctx, 'linux'), null);
  const plist = join(home, 'Library', 'LaunchAgents', 'org.example.custom.plist');
  mkdirSync(join(plist, '..'), { recursive: true });
  writeFileSync(
    plist,
    '<key>SockNodeName</key><string>127.0.0.1</string><key>SockServiceName</key><string>38002</string>',
  );
  mkdirSync(join(recordPath('svc', env, home), '..'), { recursive: true, mode: 0o700 });
  writeFileSync(
    recordPath('svc', env, home),
    serializeRecord({
      format: RECORD_FORMAT,
      name: 'svc',
      init: 'launchd',
      version: '0.0.0',
      options: { label: 'org.example.custom' },
      files: [{ path: plist, sha256: '0'.repeat(64) }],
    }),
    { mode: 0o600 },
  );
  assert.deepEqual(findInstalledAddress('svc', ctx, 'darwin'), {
    init: 'launchd',
    host: '127.0.0.1',
    port: 38002,
    file: plist,
  });
  const unit = join(home, '.config', 'systemd', 'user', 'svc.socket');
  mkdirSync(join(unit, '..'), { recursive: true });
  writeFileSync(unit, '[Socket]\nListenStream=[::1]:38003\n');
  const found = findInstalledAddress('svc', ctx, 'linux');
  assert.deepEqual(
    found,
    { init: 'systemd', host: '::1', port: 38003, file: unit },
    'the native init system is asked first',
  );
  assert.equal(formatAddress(found!), '[::1]:38003');
  assert.deepEqual(
    initSystemFor('systemd').installedAddress('svc', ctx),
    found,
    'the InitSystem exposes the same probe',
  );
  t.after(() => undefined);
});
