// The real worker with a token file, a non-loopback --listen, and the server limits that bound slow clients.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, rmSync } from 'node:fs';
import { maxHeaderSize } from 'node:http';
import { join } from 'node:path';
import { ensureToken } from '../../src/security/token.js';
import { serve } from '../../src/runtime/serve.js';
import { createLogger } from '../../src/runtime/logger.js';
import { scratchDir } from '../helpers/paths.js';
import { httpRequest, rawRequest } from './http-helpers.js';
import { runWorker, startWorker } from './worker-process.js';

const dir = scratchDir('worker-token');
after(() => rmSync(dir, { recursive: true, force: true }));

async function ask(port: number, target: string, lines: string[] = []): Promise<{ status: number; auth?: string }> {
  const res = await rawRequest(port, httpRequest([`Host: 127.0.0.1:${port}`, ...lines], target));
  return { status: res.status, ...(res.headers['www-authenticate'] ? { auth: res.headers['www-authenticate'] } : {}) };
}

for (const how of ['--token-file', 'INITSOCK_TOKEN_FILE'] as const) {
  test(`with ${how}, every route but /health needs the bearer token`, async () => {
    const path = join(dir, how, 'token');
    const { token } = ensureToken(path);
    const worker =
      how === '--token-file'
        ? await startWorker(['--token-file', path])
        : await startWorker([], { INITSOCK_TOKEN_FILE: path });
    try {
      assert.equal((await ask(worker.port, '/health')).status, 200, 'health probes need no secret');
      assert.deepEqual(await ask(worker.port, '/anything'), { status: 401, auth: 'Bearer realm="initsock"' });
      assert.equal(
        (await ask(worker.port, '/anything', ['Authorization: Bearer nope-nope-nope-nope-nope-nope-nope'])).status,
        401,
      );
      assert.equal(
        (await ask(worker.port, '/anything', [`Authorization: Bearer ${token}`])).status,
        404,
        'through to the app (none here)',
      );
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  });
}

test('the worker refuses to start with a token file other users can read', async () => {
  const path = join(dir, 'open', 'token');
  ensureToken(path);
  chmodSync(path, 0o644);
  const res = await runWorker(['--listen', '127.0.0.1:0', '--token-file', path]);
  assert.equal(res.code, 78, res.output);
  assert.match(res.output, /chmod 600/);
});

test('the worker refuses a non-loopback --listen without --expose-to-network, and says what it would expose', async () => {
  for (const listen of ['0.0.0.0:0', '[::]:0', '192.0.2.1:0']) {
    const res = await runWorker(['--listen', listen]);
    assert.equal(res.code, 78, res.output);
    assert.match(res.output, /NOT_LOOPBACK.*--expose-to-network/, res.output);
  }
});

test("the worker's HTTP servers keep node's limits for slow and oversized requests", async (t) => {
  const logger = createLogger({ mode: 'stderr', level: 'error' });
  const handle = await serve(
    (_req, res) => {
      res.end();
    },
    {
      activation: { kind: 'listen', host: '127.0.0.1', port: 0 },
      logger,
      exit: () => {},
      handleSignals: false,
      handleCrashes: false,
    },
  );
  try {
    for (const s of handle.servers) {
      t.diagnostic(
        `headersTimeout=${s.headersTimeout} requestTimeout=${s.requestTimeout} keepAliveTimeout=${s.keepAliveTimeout} ` +
          `timeout=${s.timeout} maxHeadersCount=${s.maxHeadersCount} maxRequestsPerSocket=${s.maxRequestsPerSocket} maxHeaderSize=${maxHeaderSize}`,
      );
      assert.ok(s.headersTimeout > 0 && s.headersTimeout <= 60_000, 'a client trickling headers is cut off');
      assert.ok(s.requestTimeout > 0 && s.requestTimeout <= 300_000, 'a client trickling a body is cut off');
      assert.ok(s.headersTimeout <= s.requestTimeout);
      assert.ok(s.keepAliveTimeout > 0 && s.keepAliveTimeout <= 60_000, 'idle keep-alive connections are closed');
    }
    assert.ok(maxHeaderSize <= 16_384, 'headers over 16 KiB get 431');
  } finally {
    await handle.close();
  }
});

test("--allow-host and --allow-origin (or their variables) widen the worker's Host and Origin checks", async () => {
  const strict = await startWorker();
  const wide = await startWorker([], {
    INITSOCK_ALLOW_HOSTS: 'myhost.lan',
    INITSOCK_ALLOW_ORIGINS: 'http://localhost:5173',
  });
  const flags = await startWorker(['--allow-host', 'other.lan,myhost.lan', '--allow-origin', 'http://localhost:5173']);
  try {
    const lan = (port: number) => rawRequest(port, httpRequest([`Host: myhost.lan:${port}`], '/health'));
    const dev = (port: number) =>
      rawRequest(port, httpRequest([`Host: 127.0.0.1:${port}`, 'Origin: http://localhost:5173'], '/health'));
    assert.equal((await lan(strict.port)).status, 403, 'a foreign Host is refused by default (DNS rebinding)');
    assert.equal((await dev(strict.port)).status, 403, 'a foreign Origin is refused by default (CSRF)');
    for (const w of [wide, flags]) {
      assert.equal((await lan(w.port)).status, 200, 'an allowed Host passes');
      assert.equal((await dev(w.port)).status, 200, 'an allowed Origin passes');
      assert.equal(
        (await rawRequest(w.port, httpRequest([`Host: evil.example:${w.port}`], '/health'))).status,
        403,
        'others still do not',
      );
    }
  } finally {
    for (const w of [strict, wide, flags]) assert.equal(await w.stop(), 0);
  }
});
