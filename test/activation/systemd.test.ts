// Table tests for the LISTEN_* parser and the systemd source's clean-up of the environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListenEnv, systemdSource, MAX_LISTEN_FDS } from '../../src/activation/systemd.js';
import { isInitsockError } from '../../src/errors.js';

const PID = 4242;
type Row = { why: string; env: NodeJS.ProcessEnv; want?: unknown; code?: string };

const rows: Row[] = [
  // the normal case: one named socket from a .socket unit with FileDescriptorName=
  {
    why: 'one named fd',
    env: { LISTEN_PID: '4242', LISTEN_FDS: '1', LISTEN_FDNAMES: 'web' },
    want: { status: 'ok', sockets: [{ fd: 3, name: 'web' }] },
  },
  // two ListenStream= lines: fds 3 and 4, in order
  {
    why: 'two fds, two names',
    env: { LISTEN_PID: '4242', LISTEN_FDS: '2', LISTEN_FDNAMES: 'a:b' },
    want: {
      status: 'ok',
      sockets: [
        { fd: 3, name: 'a' },
        { fd: 4, name: 'b' },
      ],
    },
  },
  // systemd-socket-activate without --fdname, older systemd: no LISTEN_FDNAMES at all means "unknown"
  {
    why: 'names missing entirely',
    env: { LISTEN_PID: '4242', LISTEN_FDS: '2' },
    want: {
      status: 'ok',
      sockets: [
        { fd: 3, name: 'unknown' },
        { fd: 4, name: 'unknown' },
      ],
    },
  },
  // an empty name in the list is "unknown" too
  {
    why: 'one empty name',
    env: { LISTEN_PID: '4242', LISTEN_FDS: '2', LISTEN_FDNAMES: ':b' },
    want: {
      status: 'ok',
      sockets: [
        { fd: 3, name: 'unknown' },
        { fd: 4, name: 'b' },
      ],
    },
  },
  // nobody activated us: not an error
  { why: 'no env at all', env: {}, want: { status: 'absent' } },
  // an empty LISTEN_PID is the same as none
  { why: 'empty LISTEN_PID', env: { LISTEN_PID: '', LISTEN_FDS: '1' }, want: { status: 'absent' } },
  // the variables leaked from a parent that was activated: they are not ours
  { why: 'pid mismatch', env: { LISTEN_PID: '1', LISTEN_FDS: '1' }, want: { status: 'other-process', listenPid: 1 } },
  // pid mismatch wins over garbage in the other variables (they are someone else's)
  {
    why: 'pid mismatch with garbage fds',
    env: { LISTEN_PID: '7', LISTEN_FDS: 'x' },
    want: { status: 'other-process', listenPid: 7 },
  },
  // activated, but with zero sockets: a named error, the worker exits 78
  { why: 'LISTEN_FDS=0', env: { LISTEN_PID: '4242', LISTEN_FDS: '0' }, code: 'NO_SOCKETS' },
  // LISTEN_PID for us but no LISTEN_FDS
  { why: 'LISTEN_FDS missing', env: { LISTEN_PID: '4242' }, code: 'INVALID_LISTEN_ENV' },
  // fewer names than fds
  {
    why: 'short names',
    env: { LISTEN_PID: '4242', LISTEN_FDS: '3', LISTEN_FDNAMES: 'a:b' },
    code: 'INVALID_LISTEN_ENV',
  },
  // more names than fds
  {
    why: 'too many names',
    env: { LISTEN_PID: '4242', LISTEN_FDS: '1', LISTEN_FDNAMES: 'a:b' },
    code: 'INVALID_LISTEN_ENV',
  },
  // words, signs, spaces, hex, exponents and fractions are garbage, never coerced
  { why: 'garbage fds', env: { LISTEN_PID: '4242', LISTEN_FDS: 'two' }, code: 'INVALID_LISTEN_ENV' },
  { why: 'negative fds', env: { LISTEN_PID: '4242', LISTEN_FDS: '-1' }, code: 'INVALID_LISTEN_ENV' },
  { why: 'fds with spaces', env: { LISTEN_PID: '4242', LISTEN_FDS: ' 1' }, code: 'INVALID_LISTEN_ENV' },
  { why: 'hex fds', env: { LISTEN_PID: '4242', LISTEN_FDS: '0x1' }, code: 'INVALID_LISTEN_ENV' },
  { why: 'exponent fds', env: { LISTEN_PID: '4242', LISTEN_FDS: '1e1' }, code: 'INVALID_LISTEN_ENV' },
  { why: 'fractional fds', env: { LISTEN_PID: '4242', LISTEN_FDS: '1.5' }, code: 'INVALID_LISTEN_ENV' },
  { why: 'leading zero fds', env: { LISTEN_PID: '4242', LISTEN_FDS: '01' }, code: 'INVALID_LISTEN_ENV' },
  { why: 'garbage pid', env: { LISTEN_PID: 'self', LISTEN_FDS: '1' }, code: 'INVALID_LISTEN_ENV' },
  { why: 'zero pid', env: { LISTEN_PID: '0', LISTEN_FDS: '1' }, code: 'INVALID_LISTEN_ENV' },
  // out of range: more fds than any socket unit passes, and a pid beyond pid_t
  {
    why: 'fds over the cap',
    env: { LISTEN_PID: '4242', LISTEN_FDS: String(MAX_LISTEN_FDS + 1) },
    code: 'INVALID_LISTEN_ENV',
  },
  {
    why: 'fds beyond 2^53',
    env: { LISTEN_PID: '4242', LISTEN_FDS: '99999999999999999999' },
    code: 'INVALID_LISTEN_ENV',
  },
  { why: 'pid beyond pid_t', env: { LISTEN_PID: '2147483648', LISTEN_FDS: '1' }, code: 'INVALID_LISTEN_ENV' },
];

for (const row of rows) {
  test(`parseListenEnv: ${row.why}`, () => {
    const before = { ...row.env };
    if (row.code) {
      assert.throws(
        () => parseListenEnv(row.env, PID),
        (err: unknown) => {
          assert.ok(isInitsockError(err, row.code as never), `expected ${row.code}, got ${String(err)}`);
          assert.match((err as Error).message, /\. /, 'message says what to do next');
          return true;
        },
      );
    } else {
      assert.deepEqual(parseListenEnv(row.env, PID), row.want);
    }
    assert.deepEqual(row.env, before, 'the parser is pure');
  });
}

test('systemdSource removes LISTEN_* and INITSOCK_ACTIVATION after taking the fds', () => {
  const env: NodeJS.ProcessEnv = {
    LISTEN_PID: '9',
    LISTEN_FDS: '1',
    LISTEN_FDNAMES: 'x',
    INITSOCK_ACTIVATION: 'y',
    KEEP: '1',
  };
  assert.deepEqual(systemdSource({ env, pid: 9 }).activate(), { kind: 'systemd', sockets: [{ fd: 3, name: 'x' }] });
  assert.deepEqual(env, { KEEP: '1' });
});

test('systemdSource removes the variables on pid mismatch and on error too', () => {
  const foreign: NodeJS.ProcessEnv = { LISTEN_PID: '8', LISTEN_FDS: '1' };
  assert.equal(systemdSource({ env: foreign, pid: 9 }).activate(), null);
  assert.deepEqual(foreign, {});
  const bad: NodeJS.ProcessEnv = { LISTEN_PID: '9', LISTEN_FDS: '0' };
  assert.throws(() => systemdSource({ env: bad, pid: 9 }).activate(), { code: 'NO_SOCKETS' });
  assert.deepEqual(bad, {});
});
