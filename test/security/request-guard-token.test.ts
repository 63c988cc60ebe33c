// The bearer token against real sockets: every route but GET/HEAD /health needs it; 401 carries WWW-Authenticate.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bearerChecker } from '../../src/security/bearer.js';
import { createRequestGuard } from '../../src/security/request-guard.js';
import { isInitsockError } from '../../src/errors.js';
import { httpRequest, rawRequest, startGuarded, type GuardedServer } from './http-helpers.js';

const token = randomBytes(32).toString('base64url');
let srv: GuardedServer;
before(async () => {
  srv = await startGuarded(() => ({ token }));
});
after(async () => {
  await srv.close();
});

async function send(
  lines: string[],
  target = '/api',
  method = 'GET',
): Promise<{ status: number; auth: string | undefined }> {
  const res = await rawRequest(srv.port, httpRequest([`Host: 127.0.0.1:${srv.port}`, ...lines], target, method));
  return { status: res.status, auth: res.headers['www-authenticate'] };
}

test('the right token passes, on any route and method', async () => {
  assert.equal((await send([`Authorization: Bearer ${token}`])).status, 200);
  assert.equal(
    (await send([`Authorization: bearer ${token}`], '/x', 'POST')).status,
    200,
    'the scheme is case-insensitive',
  );
  assert.equal((await send([`Authorization: Bearer   ${token}`], '/', 'DELETE')).status, 200, 'several spaces (1*SP)');
});

test('no token is 401 with a plain Bearer challenge', async () => {
  const res = await send([]);
  assert.equal(res.status, 401);
  assert.equal(res.auth, 'Bearer realm="initsock"');
});

test('a wrong or malformed token is 401 with error="invalid_token"', async () => {
  const rows: Array<[string, string]> = [
    [`Bearer ${token}x`, 'the token plus a character'],
    [`Bearer ${token.slice(0, -1)}`, 'a prefix of the token'],
    [`Bearer ${randomBytes(32).toString('base64url')}`, 'another token of the same length'],
    [`Basic ${Buffer.from(`user:${token}`).toString('base64')}`, 'another scheme'],
    [`Bearer`, 'no token'],
    [`Bearer ${token} extra`, 'trailing garbage'],
    [token, 'no scheme'],
  ];
  for (const [value, why] of rows) {
    const res = await send([`Authorization: ${value}`]);
    assert.equal(res.status, 401, why);
    assert.equal(res.auth, 'Bearer realm="initsock", error="invalid_token"', why);
  }
  const twice = await send([`Authorization: Bearer ${token}`, `Authorization: Bearer ${token}`]);
  assert.equal(twice.status, 401, 'two Authorization lines are refused rather than guessed at');
});

test('GET and HEAD /health are open; nothing else is', async () => {
  assert.equal((await send([], '/health')).status, 200);
  assert.equal((await send([], '/health?verbose=1')).status, 200);
  assert.equal((await send([], '/health', 'HEAD')).status, 200);
  for (const [target, method] of [
    ['/health', 'POST'],
    ['/health/', 'GET'],
    ['/HEALTH', 'GET'],
    ['//health', 'GET'],
    ['/health/../secret', 'GET'],
    ['/healthz', 'GET'],
    [`http://127.0.0.1:${srv.port}/health`, 'GET'],
  ] as const) {
    assert.equal((await send([], target, method)).status, 401, `${method} ${target}`);
  }
});

test('/health still goes through the Host and Origin checks', async () => {
  const res = await rawRequest(srv.port, httpRequest(['Host: evil.example'], '/health'));
  assert.equal(res.status, 403);
});

test('the comparison works on hashes, so any length or content is safe to compare', () => {
  const check = bearerChecker('s3cret');
  assert.equal(check(['Bearer s3cret']), 'ok');
  assert.equal(check([]), 'missing');
  assert.equal(check(['Bearer ' + 'a'.repeat(10_000)]), 'invalid');
  assert.equal(check(['Bearer s3cre']), 'invalid');
});

test('a guard with a bad port is refused at construction', () => {
  for (const port of [0, -1, 65536, 1.5, Number.NaN]) {
    assert.throws(
      () => createRequestGuard({ port }),
      (e: unknown) => isInitsockError(e, 'INVALID_VALUE'),
      String(port),
    );
  }
});
