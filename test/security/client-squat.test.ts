// End to end: `initsock request` against a port another user squats must fail clearly and send that user nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { ensureToken, tokenPath } from '../../src/security/token.js';
import { readProcNet } from '../../src/security/peer-owner.js';
import { initsockBin, scratchDir } from '../helpers/paths.js';

const runnable = readProcNet() !== null && process.getuid?.() === 0;
const home = scratchDir('client-squat');
after(() => rmSync(home, { recursive: true, force: true }));

/** Another user's server that reports every byte it receives. */
const SQUATTER = `
const s = require('net').createServer((c) => { c.on('data', (d) => process.stdout.write('data ' + d.length + '\\n')); c.on('close', () => process.stdout.write('closed\\n')); });
s.listen(0, '127.0.0.1', () => process.stdout.write('port ' + s.address().port + '\\n'));`;
let squatter: ChildProcess | null = null;
let port = 0;
let out = '';
before(async () => {
  if (!runnable) return;
  squatter = spawn(process.execPath, ['-e', SQUATTER], {
    uid: 65534,
    gid: 65534,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  port = await new Promise<number>((resolve) => {
    squatter!.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
});
after(() => {
  squatter?.kill();
});

test("the client refuses another user's listener before sending the request or the token", async (t) => {
  if (!runnable) {
    t.skip('needs Linux /proc and root to run a server as another user');
    return;
  }
  ensureToken(tokenPath('squatted', {}, home));
  const client = spawn(
    process.execPath,
    [
      initsockBin,
      'request',
      '--port',
      String(port),
      '--name',
      'squatted',
      '--no-fallback',
      '--no-stdin',
      '--timeout',
      '5s',
      'GET',
      '/secret',
    ],
    { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  client.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  const [code] = (await once(client, 'exit')) as [number];
  assert.equal(code, 7, stderr);
  assert.match(stderr, /uid 65534/, stderr);
  await new Promise<void>((resolve) => {
    const on = (): void => {
      if (out.includes('closed')) resolve();
    };
    squatter!.stdout!.on('data', on);
    on();
  });
  assert.ok(!out.includes('data '), `the squatter received bytes:\n${out}`);
});

test('control: the same squatter does receive what an unchecked client sends', async (t) => {
  if (!runnable) {
    t.skip('needs Linux /proc and root to run a server as another user');
    return;
  }
  const { connect } = await import('node:net');
  const s = connect(port, '127.0.0.1');
  await once(s, 'connect');
  const got = new Promise<void>((resolve) => {
    squatter!.stdout!.on('data', () => {
      if (/data \d+/.test(out)) resolve();
    });
  });
  s.write(`GET /secret HTTP/1.1\r\nAuthorization: Bearer x\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  await got;
  s.destroy();
});
