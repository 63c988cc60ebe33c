// One /proc/net/tcp decoder for the port check and the peer-owner check: host byte order, IPv4, IPv6 and mapped addresses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeAddress } from '../../src/service/port-owner.js';
import { decodeProcEndpoint, formatAddressBytes, procAddressBytes } from '../../src/util/proc-net.js';

const rows: Array<[string, 'LE' | 'BE', string]> = [
  ['0100007F', 'LE', '127.0.0.1'],
  ['7F000001', 'BE', '127.0.0.1'],
  ['00000000', 'LE', '0.0.0.0'],
  ['00000000000000000000000001000000', 'LE', '::1'],
  ['00000000000000000000000000000001', 'BE', '::1'],
  ['0000000000000000FFFF00000100007F', 'LE', '127.0.0.1'],
  ['00000000000000000000FFFF7F000001', 'BE', '127.0.0.1'],
  ['000080FE00000000000000000100ADDE', 'LE', 'fe80::dead:1'],
];

for (const [hex, order, text] of rows) {
  test(`${hex} written by a ${order} kernel is ${text}, for the port check and the peer check alike`, () => {
    assert.equal(decodeAddress(hex, order), text);
    const endpoint = decodeProcEndpoint(`${hex}:1F90`, order);
    assert.ok(endpoint);
    assert.equal(endpoint.port, 8080);
    assert.equal(formatAddressBytes(endpoint.bytes), text);
  });
}

test('malformed fields decode to nothing instead of a wrong address', () => {
  for (const bad of ['', '0100007', 'XYZ0007F', '0100007F0']) assert.equal(procAddressBytes(bad, 'LE'), null, bad);
  assert.equal(decodeProcEndpoint('0100007F', 'LE'), null, 'no port');
  assert.equal(decodeAddress('nonsense', 'LE'), '');
});
