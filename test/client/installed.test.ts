// An installed service owns its port: the fallback refuses to start a stray worker beside a unit or plist for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findInstalledService, plistNamesPort, socketUnitListensOn } from '../../src/client/installed.js';
import { claimPort } from '../../src/client/claim.js';
import { freePort, runClient, sandbox, startedPids } from './helpers.js';

const plist = (port: string) => `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>Label</key><string>com.example.x</string>
<key>Sockets</key><dict><key>Listeners</key><dict>
<key>SockNodeName</key><string>127.0.0.1</string>
<key>SockServiceName</key>
  <string>${port}</string>
</dict></dict></dict></plist>`;

test('ListenStream= matching: bare port, IPv4, [IPv6], spaces; other ports and commented lines do not match', () => {
  const rows: Array<[string, boolean]> = [
    ['ListenStream=37777', true],
    ['ListenStream=127.0.0.1:37777', true],
    ['ListenStream = [::1]:37777 ', true],
    ['[Socket]\nFileDescriptorName=x\nListenStream=127.0.0.1:1234\nListenStream=127.0.0.1:37777', true],
    ['ListenStream=127.0.0.1:377770', false], // a longer port that merely contains the digits
    ['ListenStream=127.0.0.1:3777', false],
    ['# ListenStream=127.0.0.1:37777', false], // a comment
    ['ListenDatagram=127.0.0.1:37777', false], // not a stream socket
  ];
  for (const [unit, expected] of rows) assert.equal(socketUnitListensOn(unit, 37777), expected, unit);
});

test('plist matching: SockServiceName with the port, not another port', () => {
  assert.equal(plistNamesPort(plist('37777'), 37777), true);
  assert.equal(plistNamesPort(plist('37778'), 37777), false);
  assert.equal(plistNamesPort('<key>Port</key><string>37777</string>', 37777), false);
});

test('findInstalledService: own unit by name, any unit or plist by port, nothing otherwise', (t) => {
  const box = sandbox('find');
  t.after(() => box.cleanup());
  const units = join(box.home, '.config', 'systemd', 'user');
  const agents = join(box.home, 'Library', 'LaunchAgents');
  mkdirSync(units, { recursive: true });
  mkdirSync(agents, { recursive: true });
  assert.equal(findInstalledService(4000, 'svc', box.env), null);
  writeFileSync(join(units, 'other.socket'), 'ListenStream=127.0.0.1:5000\n');
  writeFileSync(join(agents, 'other.plist'), plist('6000'));
  assert.equal(findInstalledService(4000, 'svc', box.env), null);
  assert.deepEqual(findInstalledService(5000, 'svc', box.env), { init: 'systemd', path: join(units, 'other.socket') });
  assert.deepEqual(findInstalledService(6000, 'svc', box.env), { init: 'launchd', path: join(agents, 'other.plist') });
  writeFileSync(join(units, 'svc.socket'), 'ListenStream=127.0.0.1:7000\n');
  assert.deepEqual(findInstalledService(4000, 'svc', box.env), { init: 'systemd', path: join(units, 'svc.socket') });
  const xdg = join(box.dir, 'xdg');
  mkdirSync(join(xdg, 'systemd', 'user'), { recursive: true });
  assert.equal(
    findInstalledService(4000, 'svc', { ...box.env, XDG_CONFIG_HOME: xdg }),
    null,
    '$XDG_CONFIG_HOME is honoured',
  );
});

for (const kind of ['unit named after the service', 'other unit on the port', 'plist on the port'] as const) {
  test(`the client refuses to start a worker when there is a ${kind}, and names the status command`, async (t) => {
    const box = sandbox('refuse');
    t.after(() => box.cleanup());
    const port = await freePort();
    const units = join(box.home, '.config', 'systemd', 'user');
    const agents = join(box.home, 'Library', 'LaunchAgents');
    mkdirSync(units, { recursive: true });
    mkdirSync(agents, { recursive: true });
    if (kind === 'unit named after the service')
      writeFileSync(join(units, 'hooks.socket'), '[Socket]\nListenStream=127.0.0.1:1\n');
    if (kind === 'other unit on the port')
      writeFileSync(join(units, 'legacy.socket'), `[Socket]\nListenStream=127.0.0.1:${port}\n`);
    if (kind === 'plist on the port') writeFileSync(join(agents, 'com.initsock.hooks.plist'), plist(String(port)));
    const r = await runClient(['request', '--port', String(port), '--name', 'hooks', 'GET', '/health'], box.env);
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /tried: already-running worker, then installed service/);
    assert.match(r.stderr, /will not start a second, unmanaged worker/);
    assert.match(r.stderr, /`install-service status --name hooks`/);
    assert.deepEqual(startedPids(box.events), []);
    const server = await claimPort(port);
    assert.ok(server, 'nobody took the port');
    server.close();
  });
}

test('control: with only an unrelated unit installed, the same call starts a worker', async (t) => {
  const box = sandbox('control');
  t.after(() => box.cleanup());
  const port = await freePort();
  const units = join(box.home, '.config', 'systemd', 'user');
  mkdirSync(units, { recursive: true });
  writeFileSync(join(units, 'unrelated.socket'), `[Socket]\nListenStream=127.0.0.1:${port + 1}\n`);
  const r = await runClient(['request', '--port', String(port), '--name', 'hooks', 'GET', '/health'], box.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(startedPids(box.events).length, 1);
});
