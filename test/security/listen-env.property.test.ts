// Property test: hostile LISTEN_* variables never make parseListenEnv throw anything but an InitsockError, or hand out fds outside 3..3+n-1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LISTEN_FDS_START, MAX_LISTEN_FDS, parseListenEnv } from '../../src/activation/systemd.js';
import { InitsockError } from '../../src/errors.js';

/** Strings that look almost like numbers: the values a buggy or hostile parent would set. */
const numberish = fc.oneof(
  fc.integer({ min: -5, max: 2000 }).map(String),
  fc.integer({ min: 1, max: 6 }).map(String), // small counts, so LISTEN_FDNAMES often matches
  fc.constantFrom(
    '0',
    '00',
    '03',
    '+3',
    '-0',
    ' 3',
    '3 ',
    '3\n',
    '0x3',
    '1e3',
    '3.0',
    '١',
    '３',
    'Infinity',
    'NaN',
    '1024',
    '1025',
    '2147483647',
    '2147483648',
    '9007199254740993',
    '9'.repeat(400),
    '',
  ),
  fc.nat().map((n) => `${n}`.padStart(4, '0')),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** LISTEN_FDNAMES: colon-joined names of any content, or something else entirely. */
const fdNames = fc.oneof(
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 6 }).map((names) => names.join(':')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(':', '::', 'a:b:c', 'x'.repeat(10_000)),
);

/** An environment for a process `pid`; LISTEN_PID often names it, so the deeper checks run. */
const scenario = fc.integer({ min: 1, max: 0x7fffffff }).chain((pid) =>
  fc.record(
    {
      pid: fc.constant(pid),
      LISTEN_PID: fc.option(fc.oneof(fc.constant(String(pid)), numberish), { nil: undefined }),
      LISTEN_FDS: fc.option(numberish, { nil: undefined }),
      LISTEN_FDNAMES: fc.option(fdNames, { nil: undefined }),
    },
    { requiredKeys: ['pid'] },
  ),
);

function envOf(s: { LISTEN_PID?: string; LISTEN_FDS?: string; LISTEN_FDNAMES?: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES'] as const)
    if (s[key] !== undefined) env[key] = s[key];
  return Object.freeze(env); // the parser is pure: a write would throw here
}

test('parseListenEnv: any LISTEN_* input gives a well-formed answer or an InitsockError', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const env = envOf(s);
      let result;
      try {
        result = parseListenEnv(env, s.pid);
      } catch (err) {
        assert.ok(err instanceof InitsockError, `threw a non-InitsockError: ${String(err)}`);
        assert.ok(['INVALID_LISTEN_ENV', 'NO_SOCKETS'].includes(err.code), err.code);
        assert.ok(!err.message.includes('\n'), 'one-line message');
        return;
      }
      if (result.status === 'absent') {
        assert.ok(!s.LISTEN_PID);
        return;
      }
      if (result.status === 'other-process') {
        assert.notEqual(result.listenPid, s.pid);
        return;
      }
      // ok: LISTEN_PID is exactly our pid, and the fds are exactly 3..3+n-1 for n = LISTEN_FDS.
      assert.equal(s.LISTEN_PID, String(s.pid));
      const n = Number(s.LISTEN_FDS);
      assert.equal(s.LISTEN_FDS, String(n), 'LISTEN_FDS was a canonical decimal');
      assert.ok(n >= 1 && n <= MAX_LISTEN_FDS);
      assert.deepEqual(
        result.sockets.map((x) => x.fd),
        Array.from({ length: n }, (_, i) => LISTEN_FDS_START + i),
      );
      for (const sock of result.sockets)
        assert.ok(sock.name !== '' && !sock.name.includes(':'), JSON.stringify(sock.name));
    }),
    { numRuns: 3000 },
  );
});

test('parseListenEnv: a well-formed environment always gives its sockets back', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 0x7fffffff }),
      fc.array(fc.stringMatching(/^[A-Za-z0-9._-]{1,16}$/), { minLength: 1, maxLength: 8 }),
      (pid, names) => {
        const res = parseListenEnv(
          envOf({ LISTEN_PID: String(pid), LISTEN_FDS: String(names.length), LISTEN_FDNAMES: names.join(':') }),
          pid,
        );
        assert.deepEqual(res, { status: 'ok', sockets: names.map((name, i) => ({ fd: LISTEN_FDS_START + i, name })) });
      },
    ),
    { numRuns: 500 },
  );
});
