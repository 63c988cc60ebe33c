// The Host check against real sockets: odd Host headers (none, repeated, userinfo, case, trailing dot, IPv6, wrong port).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptedHosts, checkHost } from '../../src/security/host-header.js';
import { httpRequest, rawRequest, startGuarded, type GuardedServer } from './http-helpers.js';

let srv: GuardedServer;
before(async () => {
  srv = await startGuarded(() => ({ allowedHosts: ['myhost.lan', 'other.lan:8080', 'fe80::1'] }));
});
after(async () => {
  await srv.close();
});

async function statusFor(hostLines: string[], version = '1.1'): Promise<number> {
  return (
    await rawRequest(
      srv.port,
      httpRequest(
        hostLines.map((h) => `Host: ${h}`),
        '/',
        'GET',
        version,
      ),
    )
  ).status;
}

test('the loopback names with the right port reach the app', async () => {
  const P = srv.port;
  const rows: Array<[string, string]> = [
    [`127.0.0.1:${P}`, 'what curl and our client send'],
    [`localhost:${P}`, 'what a browser sends for http://localhost'],
    [`[::1]:${P}`, 'IPv6 loopback, bracketed'],
    [`LOCALHOST:${P}`, 'host names are case-insensitive (RFC 3986 §3.2.2)'],
    [`LocalHost:${P}`, 'mixed case too'],
    [`myhost.lan:${P}`, 'an allow-listed name takes the worker port'],
    ['other.lan:8080', 'an allow-listed name with its own port is taken as is'],
    [`[fe80::1]:${P}`, 'a bare IPv6 allow-list entry matches its bracketed form'],
  ];
  for (const [host, why] of rows) assert.equal(await statusFor([host]), 200, `${host}: ${why}`);
});

test('a Host that names another server is refused with 403 (DNS rebinding)', async () => {
  const P = srv.port;
  const rows: Array<[string, string]> = [
    [`evil.example:${P}`, 'the classic rebinding name'],
    [`127.0.0.1:${P + 1}`, 'wrong port'],
    ['127.0.0.1', 'no port: only allowed when the worker is on 80, the default port'],
    ['localhost', 'same, by name'],
    [`localhost.:${P}`, 'trailing dot: a different name, browsers never send it for localhost'],
    [`localhost:0${P}`, 'leading zero in the port'],
    ['localhost:', 'empty port'],
    [`127.1:${P}`, 'short IPv4 form'],
    [`2130706433:${P}`, 'IPv4 as one number'],
    [`[0:0:0:0:0:0:0:1]:${P}`, 'non-canonical IPv6 loopback'],
    [`[::ffff:127.0.0.1]:${P}`, 'IPv4-mapped loopback'],
    [`127.0.0.2:${P}`, 'another 127/8 address: the socket is bound to 127.0.0.1'],
    [`localhost.evil.example:${P}`, 'a suffix trick'],
    [`other.lan:${P}`, 'an allow-listed name with a port is only good on that port'],
  ];
  for (const [host, why] of rows) assert.equal(await statusFor([host]), 403, `${host}: ${why}`);
});

test('a missing, repeated or malformed Host is refused with 400 (RFC 9112 §3.2)', async () => {
  const P = srv.port;
  assert.equal(await statusFor([], '1.0'), 400, 'HTTP/1.0 without Host reaches the guard');
  assert.equal(await statusFor([], '1.1'), 400, 'HTTP/1.1 without Host (node answers itself)');
  assert.equal(await statusFor([`127.0.0.1:${P}`, 'evil.example']), 400, 'a good Host followed by a foreign one');
  assert.equal(await statusFor(['evil.example', `127.0.0.1:${P}`]), 400, 'a foreign Host followed by a good one');
  assert.equal(await statusFor([`127.0.0.1:${P}`, `127.0.0.1:${P}`]), 400, 'even two identical ones');
  assert.equal(await statusFor([`user@127.0.0.1:${P}`]), 400, 'userinfo');
  assert.equal(await statusFor([`evil.example@127.0.0.1:${P}`]), 400, 'userinfo that looks like a host');
  assert.equal(await statusFor([`127.0.0.1:${P}/x`]), 400, 'a path');
  assert.equal(await statusFor(['']), 400, 'empty');
  assert.equal(await statusFor([`127.0.0.1 :${P}`]), 400, 'a space inside');
  assert.equal(await statusFor([`[::1%25lo]:${P}`]), 400, 'an IPv6 zone id');
});

test('refusals are short JSON, never echo the header, close the connection, and are logged; the app never sees them', async () => {
  const before = srv.seen.length;
  const res = await rawRequest(srv.port, httpRequest([`Host: rebind-7f000001.example:${srv.port}`], '/secret'));
  assert.equal(res.status, 403);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(res.headers.connection, 'close');
  const body = JSON.parse(res.body) as { error: string; message: string };
  assert.equal(body.error, 'forbidden');
  assert.match(body.message, /DNS rebinding/);
  assert.ok(!res.body.includes('rebind-7f000001'), 'the body does not reflect the Host header');
  assert.ok(res.body.length < 200, 'the body is short');
  assert.equal(srv.seen.length, before, 'the app was not called');
  assert.ok(
    srv.logs.some((l) => l.includes('/secret') && l.includes('403')),
    srv.logs.join('\n'),
  );
});

test('an absolute-form target must name this worker too, since it overrides Host (RFC 9112 §3.2.2)', async () => {
  const P = srv.port;
  const send = async (target: string) => (await rawRequest(P, httpRequest([`Host: 127.0.0.1:${P}`], target))).status;
  assert.equal(await send(`http://127.0.0.1:${P}/x`), 200);
  assert.equal(await send(`HTTP://LOCALHOST:${P}`), 200);
  assert.equal(await send('http://evil.example/x'), 403, 'a proxy-style request for another server');
  assert.equal(await send(`http://evil.example:${P}/x`), 403);
  assert.equal(await send(`https://127.0.0.1:${P}/x`), 403, 'not our scheme');
  assert.equal(await send(`http://user@127.0.0.1:${P}/x`), 403, 'userinfo');
});

test("port 80 alone may be left out of Host, because it is http's default port", () => {
  const on80 = acceptedHosts(80);
  assert.deepEqual(checkHost(['localhost'], on80), { ok: true });
  assert.deepEqual(checkHost(['127.0.0.1:80'], on80), { ok: true });
  assert.equal(checkHost(['localhost:8080'], on80).ok, false);
  assert.equal(checkHost(['localhost'], acceptedHosts(8080)).ok, false);
});

test('allow-list entries: a bare IPv6 address is bracketed, bracketed ones and names with a port are kept as given', () => {
  const hosts = acceptedHosts(4000, [
    'FE80::1',
    '[fe80::2]',
    '[fe80::3]:9',
    'Box.Lan',
    'box.lan:81',
    '::ffff:127.0.0.1',
  ]);
  for (const h of [
    '127.0.0.1:4000',
    'localhost:4000',
    '[::1]:4000',
    '[fe80::1]:4000',
    '[fe80::2]:4000',
    '[fe80::3]:9',
    'box.lan:4000',
    'box.lan:81',
    '[::ffff:127.0.0.1]:4000',
  ])
    assert.ok(hosts.has(h), h);
  assert.equal(hosts.size, 9);
});
