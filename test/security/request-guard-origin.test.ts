// The cross-site check against real sockets: Origin and Sec-Fetch-Site as browsers send them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpRequest, rawRequest, startGuarded, type GuardedServer } from './http-helpers.js';

let srv: GuardedServer;
before(async () => {
  srv = await startGuarded(() => ({ allowedOrigins: ['http://localhost:5173/', 'HTTPS://App.Example'] }));
});
after(async () => {
  await srv.close();
});

async function statusWith(lines: string[], method = 'POST'): Promise<number> {
  const all = [`Host: 127.0.0.1:${srv.port}`, ...lines];
  return (await rawRequest(srv.port, httpRequest(all, '/api', method))).status;
}

test("no Origin (CLI clients) and the worker's own origins pass", async () => {
  const P = srv.port;
  assert.equal(await statusWith([]), 200, 'curl, our client');
  for (const origin of [
    `http://127.0.0.1:${P}`,
    `http://localhost:${P}`,
    `http://[::1]:${P}`,
    `HTTP://LOCALHOST:${P}`,
  ]) {
    assert.equal(await statusWith([`Origin: ${origin}`]), 200, origin);
  }
});

test('allow-listed origins pass, normalized (case, trailing slash)', async () => {
  assert.equal(await statusWith(['Origin: http://localhost:5173']), 200);
  assert.equal(await statusWith(['Origin: https://app.example', 'Sec-Fetch-Site: cross-site']), 200);
});

test('a foreign Origin is refused with 403', async () => {
  const P = srv.port;
  const rows: Array<[string, string]> = [
    ['https://evil.example', 'another site'],
    ['null', 'sandboxed iframe, file:// page or cross-origin redirect'],
    [`https://localhost:${P}`, 'https is another origin: the worker serves plain http'],
    [`http://localhost:${P + 1}`, 'another port on localhost is another origin'],
    [`http://localhost:${P}.evil.example`, 'a suffix trick'],
    [`http://127.0.0.1:${P}/`, 'browsers never send a path, so this is not our origin'],
    ['http://localhost:5174', 'near an allow-listed origin'],
  ];
  for (const [origin, why] of rows) assert.equal(await statusWith([`Origin: ${origin}`]), 403, `${origin}: ${why}`);
  assert.equal(
    await statusWith([`Origin: http://localhost:${P}`, 'Origin: https://evil.example']),
    403,
    'two Origin lines',
  );
});

test('Sec-Fetch-Site catches cross-site requests that carry no Origin (no-cors GET: <img>, navigation)', async () => {
  assert.equal(await statusWith(['Sec-Fetch-Site: cross-site'], 'GET'), 403);
  assert.equal(
    await statusWith(['Sec-Fetch-Site: same-site'], 'GET'),
    403,
    'localhost:3000 is the same site, but not us',
  );
  assert.equal(
    await statusWith(['Sec-Fetch-Site: something-new'], 'GET'),
    403,
    'an unknown value is treated as cross-site',
  );
  assert.equal(await statusWith(['Sec-Fetch-Site: same-origin'], 'GET'), 200);
  assert.equal(await statusWith(['Sec-Fetch-Site: none'], 'GET'), 200, 'typed in the address bar');
  assert.equal(await statusWith(['Sec-Fetch-Site: none', 'Sec-Fetch-Site: none'], 'GET'), 403, 'repeated');
  assert.equal(
    await statusWith([`Origin: http://127.0.0.1:${srv.port}`, 'Sec-Fetch-Site: cross-site']),
    200,
    'a page of this worker at 127.0.0.1 calling it as localhost: cross-site by name, but our own origin',
  );
});

test('a cross-site refusal says why, and the app never sees it', async () => {
  const before = srv.seen.length;
  const res = await rawRequest(
    srv.port,
    httpRequest([`Host: localhost:${srv.port}`, 'Origin: https://evil.example'], '/delete', 'POST'),
  );
  assert.equal(res.status, 403);
  assert.match((JSON.parse(res.body) as { message: string }).message, /cross-site/);
  assert.equal(srv.seen.length, before);
  assert.ok(srv.logs.some((l) => l.includes('/delete')));
});
