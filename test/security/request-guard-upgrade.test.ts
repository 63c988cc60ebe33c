// WebSocket upgrades skip 'request' listeners, so they get their own guard: cross-site WebSocket hijacking and rebinding.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { createUpgradeGuard } from '../../src/security/request-guard.js';
import { rawRequest } from './http-helpers.js';

let server: Server;
let port = 0;
const logs: string[] = [];
let upgraded = 0;
before(async () => {
  server = createServer((_req, res) => {
    res.end('plain');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as { port: number }).port;
  const guard = createUpgradeGuard({
    port,
    token: 'sekret-token-sekret-token-sekret-token',
    logger: {
      warn: (m) => {
        logs.push(m);
      },
    },
  });
  server.on('upgrade', (req, socket) => {
    if (!guard(req, socket)) return;
    upgraded += 1;
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

function upgrade(lines: string[]): string {
  return [
    'GET /ws HTTP/1.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...lines,
    '',
    '',
  ].join('\r\n');
}

test('an upgrade from a foreign Origin or Host is refused before the app sees it', async () => {
  const rows: Array<[string[], number, string]> = [
    [[`Host: 127.0.0.1:${port}`, 'Origin: https://evil.example'], 403, 'cross-site WebSocket hijacking'],
    [[`Host: evil.example:${port}`], 403, 'DNS rebinding'],
    [[], 400, 'no Host'],
    [[`Host: 127.0.0.1:${port}`], 401, 'no token'],
  ];
  for (const [lines, status, why] of rows) {
    const res = await rawRequest(port, upgrade(lines));
    assert.equal(res.status, status, why);
    assert.match(res.headers['content-type'] ?? '', /json/, why);
  }
  const res = await rawRequest(port, upgrade([`Host: 127.0.0.1:${port}`]));
  assert.equal(res.headers['www-authenticate'], 'Bearer realm="initsock"');
  assert.equal(upgraded, 0);
  assert.ok(logs.length >= 4);
});

test('an upgrade from our own origin with the token goes through', async () => {
  const res = await rawRequest(
    port,
    upgrade([
      `Host: localhost:${port}`,
      `Origin: http://localhost:${port}`,
      'Authorization: Bearer sekret-token-sekret-token-sekret-token',
    ]),
  );
  assert.equal(res.status, 101);
  assert.equal(upgraded, 1);
});
