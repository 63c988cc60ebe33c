// `initsock request` as a shell hook runs it: exit codes and output for 200, 404, 500, unreachable, usage; stdin as the body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor } from '../../src/client/cli.js';
import { parseHeaders, parseRequestArgs } from '../../src/client/cli-args.js';
import { freePort, runClient, sandbox, type Sandbox } from './helpers.js';

let box: Sandbox;
let port: number;
const run = (args: string[], input?: string) =>
  runClient(
    ['request', '--port', String(port), '--timeout', '30s', ...args],
    box.env,
    input === undefined ? {} : { input },
  );

test.before(async () => {
  box = sandbox('cli');
  port = await freePort();
});
test.after(() => box.cleanup());

test('200: body on stdout, nothing on stderr, exit 0', async () => {
  const r = await run(['GET', '/ok']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'fine\n', '']);
});

test('404: body on stdout, status on stderr, exit 4', async () => {
  const r = await run(['GET', '/status/404']);
  assert.deepEqual([r.code, r.stdout], [4, 'status 404\n']);
  assert.match(r.stderr, /GET \/status\/404 answered 404 Not Found/);
});

test('500: exit 5; 3xx counts as success', async () => {
  const r = await run(['get', '/status/500']);
  assert.deepEqual([r.code, r.stdout], [5, 'status 500\n']);
  assert.match(r.stderr, /answered 500 Internal Server Error/);
  assert.equal((await run(['GET', '/status/302'])).code, 0);
});

test('stdin is the body, sent as JSON when it parses as JSON; --data and -H override', async () => {
  const json = await run(['POST', '/echo'], '{"tool":"Bash"}');
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), { contentType: 'application/json', body: '{"tool":"Bash"}' });
  const text = await run(['POST', '/echo', '-H', 'Content-Type: text/plain', '--data', 'hi'], 'ignored');
  assert.deepEqual(JSON.parse(text.stdout), { contentType: 'text/plain', body: 'hi' });
});

test('a stdin that never closes fails after the timeout instead of hanging the hook; --no-stdin skips it', async () => {
  const stuck = await runClient(['request', '--port', String(port), '--timeout', '300ms', 'POST', '/echo'], box.env, {
    holdStdin: true,
  });
  assert.equal(stuck.code, 7);
  assert.match(stuck.stderr, /stdin was still open after 300 ms, so no request was sent/);
  const skipped = await runClient(
    ['request', '--port', String(port), '--timeout', '30s', '--no-stdin', 'POST', '/echo'],
    box.env,
    { holdStdin: true },
  );
  assert.deepEqual([skipped.code, JSON.parse(skipped.stdout).body], [0, '']);
  const get = await runClient(['request', '--port', String(port), '--timeout', '30s', 'GET', '/ok'], box.env, {
    holdStdin: true,
  });
  assert.deepEqual([get.code, get.stdout], [0, 'fine\n'], 'a GET never waits for stdin');
});

test('unreachable: exit 7 with the mode tried and the next step on stderr, nothing on stdout', async () => {
  const free = await freePort();
  const r = await runClient(['request', '--port', String(free), '--no-fallback', 'GET', '/health'], box.env);
  assert.equal(r.code, 7);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^initsock request: cannot get an answer from worker "initsock-worker" on 127\.0\.0\.1:\d+ \(tried: already-running worker/,
  );
  assert.match(r.stderr, /drop --no-fallback/);
});

test('usage errors exit 2; --help exits 0 and documents the exit codes', async () => {
  const bad = await runClient(['request', 'GET'], box.env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /expected METHOD and PATH/);
  assert.equal((await runClient(['request', '--port', 'x', 'GET', '/'], box.env)).code, 2);
  assert.equal((await runClient(['frobnicate'], box.env)).code, 2);
  const help = await runClient(['request', '--help'], box.env);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit codes:[\s\S]*4 {2}4xx response[\s\S]*7 {2}no response/);
});

test('argument parsing: env defaults, flags win, headers', () => {
  const cmd = parseRequestArgs(['-H', 'X-A: 1', '--header', 'x-b:two words ', 'post', '/p'], {
    INITSOCK_PORT: '4000',
    INITSOCK_NAME: 'svc',
  });
  assert.equal(cmd.method, 'POST');
  assert.equal(cmd.options.port, 4000);
  assert.equal(cmd.options.name, 'svc');
  assert.deepEqual(cmd.options.headers, { 'x-a': '1', 'x-b': 'two words' });
  assert.equal(cmd.data, null, 'stdin is read by default');
  assert.equal(parseRequestArgs(['--no-stdin', '-p', '5', 'GET', '/'], { INITSOCK_PORT: '4000' }).options.port, 5);
  assert.equal(parseRequestArgs(['--no-stdin', 'POST', '/'], {}).data, undefined);
  assert.equal(parseRequestArgs(['get', '/'], {}).data, undefined, 'GET takes no body from stdin');
  assert.equal(parseRequestArgs(['HEAD', '/'], {}).data, undefined);
  assert.equal(parseRequestArgs(['-d', 'x', 'GET', '/'], {}).data, 'x', '--data still gives a GET a body');
  assert.throws(() => parseHeaders(['no colon']), { code: 'BAD_USAGE' });
  assert.throws(() => parseHeaders(['X: a\r\nInjected: 1']), { code: 'BAD_USAGE' });
  assert.throws(() => parseRequestArgs(['--timeout', '0', 'GET', '/'], {}), { code: 'BAD_USAGE' });
});

test('exit codes from statuses', () => {
  assert.deepEqual([200, 204, 304, 400, 404, 499, 500, 503].map(exitCodeFor), [0, 0, 0, 4, 4, 4, 5, 5]);
});
