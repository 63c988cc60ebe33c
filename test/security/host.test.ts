// Table tests for the loopback check and the listen-host policy (refuse non-loopback without the explicit flag).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, validateListenHost } from '../../src/security/host.js';
import { isInitsockError } from '../../src/errors.js';

test('isLoopbackHost: 127.0.0.0/8, ::1 in any spelling, and the name localhost', () => {
  const rows: Array<[string, boolean, string]> = [
    ['127.0.0.1', true, 'the default'],
    ['127.255.255.254', true, 'anywhere in 127/8'],
    ['::1', true, 'IPv6 loopback'],
    ['[::1]', true, 'bracketed'],
    ['0:0:0:0:0:0:0:1', true, 'long form'],
    ['::ffff:127.0.0.1', true, 'IPv4-mapped loopback'],
    ['localhost', true, 'RFC 6761 reserves it'],
    ['LocalHost', true, 'names are case-insensitive'],
    ['localhost.', false, 'a trailing dot is another name to a resolver'],
    ['localhost.localdomain', false, 'we never resolve names'],
    ['ip6-localhost', false, 'same'],
    ['127.1', false, 'short forms are not dotted quads'],
    ['0177.0.0.1', false, 'octal'],
    ['2130706433', false, 'one number'],
    ['0.0.0.0', false, 'every interface'],
    ['::', false, 'every interface, IPv6'],
    ['::1%lo', false, 'a zone id'],
    ['128.0.0.1', false, 'just outside 127/8'],
    ['192.168.1.5', false, 'a LAN address'],
    ['', false, 'empty'],
  ];
  for (const [host, expected, why] of rows) assert.equal(isLoopbackHost(host), expected, `${host}: ${why}`);
});

test('validateListenHost passes loopback and strips IPv6 brackets', () => {
  assert.deepEqual(validateListenHost('127.0.0.1'), { host: '127.0.0.1', loopback: true });
  assert.deepEqual(validateListenHost('[::1]'), { host: '::1', loopback: true });
  assert.deepEqual(validateListenHost('localhost'), { host: 'localhost', loopback: true });
});

test('validateListenHost refuses a non-loopback host and says what it would expose and how to opt in', () => {
  const rows: Array<[string, RegExp]> = [
    ['0.0.0.0', /every network interface/],
    ['::', /every network interface/],
    ['192.168.1.5', /every machine that can reach 192\.168\.1\.5/],
    ['myhost.lan', /is a name, not a loopback address/],
  ];
  for (const [host, exposure] of rows) {
    assert.throws(
      () => validateListenHost(host),
      (e: unknown) =>
        isInitsockError(e, 'NOT_LOOPBACK') &&
        exposure.test(e.message) &&
        e.message.includes('--expose-to-network') &&
        e.message.includes('127.0.0.1'),
      host,
    );
  }
  assert.throws(
    () => validateListenHost('0.0.0.0', { flag: '--yes-expose', what: '--listen' }),
    (e: unknown) =>
      isInitsockError(e, 'NOT_LOOPBACK') && e.message.includes('--yes-expose') && e.message.includes('--listen'),
  );
});

test('validateListenHost with the opt-in flag allows it, with a warning to print', () => {
  const res = validateListenHost('0.0.0.0', { allowNonLoopback: true });
  assert.equal(res.host, '0.0.0.0');
  assert.equal(res.loopback, false);
  assert.match(res.warning ?? '', /every network interface.*token/);
  assert.equal(validateListenHost('[fe80::1]', { allowNonLoopback: true }).host, 'fe80::1');
});

test('validateListenHost rejects what is not an address or a host name, even with the flag', () => {
  for (const bad of [
    '',
    'a b',
    'host\nExecStart=/bin/sh',
    'host\0',
    '-leading.dash',
    'x'.repeat(300),
    'http://x',
    '1.2.3.4:80',
  ]) {
    assert.throws(
      () => validateListenHost(bad, { allowNonLoopback: true }),
      (e: unknown) => isInitsockError(e, 'INVALID_VALUE') && !e.message.includes('\n'),
      JSON.stringify(bad),
    );
  }
});
