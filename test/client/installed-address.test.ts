// The client dials the address the service is installed on (non-default port, ::1), names both addresses when they differ, and explains a missing token.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { isInitsockError } from '../../src/errors.js';
import { request } from '../../src/client/request.js';
import { freePort, runClient, sandbox, type Sandbox } from './helpers.js';

/** A socket unit for `name` in the sandbox's user unit folder. */
function installUnit(sb: Sandbox, name: string, listen: string): string {
  const dir = join(sb.home, '.config', 'systemd', 'user');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.socket`), `[Socket]\nListenStream=${listen}\n`);
  return join(dir, `${name}.socket`);
}

/** A stand-in for the installed worker: answers with the address it was reached on, or 401 without a token. */
function listen(host: string, port: number, requireToken = false): Promise<Server> {
  const server = createServer((req, res) => {
    res.statusCode = requireToken && !req.headers.authorization ? 401 : 200;
    res.end(JSON.stringify({ local: req.socket.localAddress, host: req.headers.host }));
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

test('with only --name, the client dials the installed port and the installed ::1', async (t) => {
  const sb = sandbox('addr');
  t.after(() => sb.cleanup());
  for (const [host, listenLine] of [
    ['127.0.0.1', (p: number) => `127.0.0.1:${p}`],
    ['::1', (p: number) => `[::1]:${p}`],
  ] as const) {
    const port = await freePort();
    installUnit(sb, 'svc', listenLine(port));
    const server = await listen(host, port);
    try {
      const res = await request('GET', '/', { name: 'svc', env: sb.env, fallback: false });
      assert.equal(res.status, 200);
      const body = res.json() as { local: string; host: string };
      assert.equal(body.local, host);
      assert.equal(body.host, `${host === '::1' ? '[::1]' : host}:${port}`, 'the Host header the worker checks');
    } finally {
      server.close();
    }
  }
});

test('a --port that is not the installed one: the message names the address tried and the installed one', async (t) => {
  const sb = sandbox('addr-other');
  t.after(() => sb.cleanup());
  const [installed, other] = [await freePort(), await freePort()];
  const unit = installUnit(sb, 'svc', `[::1]:${installed}`);
  const r = await runClient(['request', '--name', 'svc', '--port', String(other), '--no-fallback', 'GET', '/'], sb.env);
  assert.equal(r.code, 7);
  // The host still comes from the unit (only --port was given): both addresses are named, with the flag that fixes it.
  assert.match(
    r.stderr,
    new RegExp(
      `on \\[::1\\]:${other} .*"svc" is installed on \\[::1\\]:${installed} \\(${unit}\\), ` +
        `not on \\[::1\\]:${other}; .*--port ${installed} --host ::1`,
    ),
  );
});

test('--host: a loopback address is dialled; another one is refused before anything is sent', async (t) => {
  const sb = sandbox('addr-host');
  t.after(() => sb.cleanup());
  const bad = await runClient(['request', '--host', '10.0.0.1', 'GET', '/'], sb.env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--host "10\.0\.0\.1" is not a loopback address/);
  const port = await freePort();
  const server = await listen('::1', port);
  t.after(() => server.close());
  const ok = await runClient(['request', '--host', '::1', '--port', String(port), 'GET', '/'], sb.env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).local, '::1');
});

test('a 401 from an installed service whose token file is missing names the file and install-service repair', async (t) => {
  const sb = sandbox('addr-token');
  t.after(() => sb.cleanup());
  const port = await freePort();
  installUnit(sb, 'svc', `127.0.0.1:${port}`);
  const server = await listen('127.0.0.1', port, true);
  t.after(() => server.close());
  await assert.rejects(
    request('GET', '/x', { name: 'svc', env: sb.env }),
    (err) =>
      isInitsockError(err, 'BAD_TOKEN_FILE') &&
      /answered 401: it requires the bearer token in .*initsock\/svc\/token, and that file is missing.*install-service repair --name svc/.test(
        err.message,
      ),
  );
});

test('a misspelt flag gets the closest one: --prot → did you mean --port?', async (t) => {
  const sb = sandbox('addr-typo');
  t.after(() => sb.cleanup());
  const r = await runClient(['request', '--prot', '38000', 'GET', '/'], sb.env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option --prot\. Did you mean --port\?/);
});
