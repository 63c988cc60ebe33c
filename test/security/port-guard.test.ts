// portGuard: each request is checked against the port it arrived on, and a non-loopback address it was served on is a valid Host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { portGuard } from '../../src/security/port-guard.js';

/** The parts of a request and response the guard reads and writes. */
function exchange(
  localAddress: string,
  localPort: number,
  host: string,
): { req: IncomingMessage; res: ServerResponse; status: () => number } {
  let status = 0;
  const req = {
    method: 'GET',
    url: '/x',
    rawHeaders: ['Host', host],
    socket: { localAddress, localPort, remoteAddress: '10.0.0.9' },
  };
  const res = {
    writeHead: (s: number) => {
      status = s;
      return res;
    },
    end: () => res,
    destroy: () => res,
  };
  return { req: req as unknown as IncomingMessage, res: res as unknown as ServerResponse, status: () => status };
}

const guard = portGuard({ token: null, allowedHosts: [], allowedOrigins: [] }, { warn: () => {} });

test('the port a request arrived on is the one Host must name', () => {
  assert.equal(guard(exchange('127.0.0.1', 4000, '127.0.0.1:4000').req, exchange('127.0.0.1', 4000, '').res), true);
  const wrongPort = exchange('127.0.0.1', 4001, '127.0.0.1:4000');
  assert.equal(guard(wrongPort.req, wrongPort.res), false);
  assert.equal(wrongPort.status(), 403);
});

test('a worker served on a non-loopback address answers that address as Host (IPv4, mapped IPv4, IPv6), not other names', () => {
  for (const [local, host] of [
    ['192.168.1.5', '192.168.1.5:4000'],
    ['::ffff:192.168.1.5', '192.168.1.5:4000'],
    ['fd00::5', '[fd00::5]:4000'],
  ]) {
    const ok = exchange(local!, 4000, host!);
    assert.equal(guard(ok.req, ok.res), true, `${local} ${host}`);
  }
  const other = exchange('192.168.1.5', 4000, '192.168.1.6:4000');
  assert.equal(guard(other.req, other.res), false);
  assert.equal(other.status(), 403);
  const loopbackOnly = exchange('127.0.0.1', 4000, '192.168.1.5:4000');
  assert.equal(
    guard(loopbackOnly.req, loopbackOnly.res),
    false,
    'an address is accepted only on the socket that serves it',
  );
});
