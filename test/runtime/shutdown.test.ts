// Graceful shutdown of a real serve() process: in-flight requests finish, idle keep-alive closes, a second signal exits at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';
import { httpGet, startProc, type Proc } from '../fixtures/runtime/proc.js';

const fixture = join(distDir, 'test', 'fixtures', 'runtime', 'serve-app.js');

async function start(env: Record<string, string> = {}): Promise<{ proc: Proc; port: number }> {
  const proc = startProc(process.execPath, [fixture], { env: { PATH: process.env.PATH, ...env } });
  const line = await proc.waitFor(/^port \d+/);
  return { proc, port: Number(line.split(' ')[1]) };
}

function keepAliveGet(port: number, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    import('node:http').then(
      ({ get }) =>
        get({ host: '127.0.0.1', port, path: '/health', agent }, (res) => {
          res.resume().on('end', () => resolve(res.statusCode ?? 0));
        }).on('error', reject),
      reject,
    );
  });
}

test('SIGTERM: a slow request in flight completes with Connection: close; idle keep-alive closes; exit 0', {
  timeout: 20_000,
}, async (t) => {
  // The shutdown deadline (30 s) is longer than this test's timeout: finishing at all proves nothing waited for it.
  const { proc, port } = await start();
  t.after(() => proc.kill());
  const agent = new Agent({ keepAlive: true });
  t.after(() => agent.destroy());
  assert.equal(await keepAliveGet(port, agent), 200); // leaves an idle keep-alive connection open
  const slow = httpGet(port, '/slow');
  await proc.waitFor(/^slow: waiting/);
  process.kill(proc.child.pid!, 'SIGTERM');
  const reply = await slow;
  assert.equal(reply.status, 200);
  assert.equal(reply.body, 'done');
  assert.equal(reply.headers.connection, 'close');
  assert.equal(await proc.exited, 0);
  assert.ok(
    proc.lines.some((l) => /SIGTERM received; finishing 1 request\(s\) in flight/.test(l)),
    proc.lines.join('\n'),
  );
});

test('a second SIGTERM exits at once, abandoning a request that would never finish', { timeout: 20_000 }, async (t) => {
  const { proc, port } = await start();
  t.after(() => proc.kill());
  const hang = httpGet(port, '/hang').then(
    () => 'answered',
    (err: NodeJS.ErrnoException) => err.code ?? 'error',
  );
  await proc.waitFor(/^hang: never answering/);
  process.kill(proc.child.pid!, 'SIGTERM');
  await proc.waitFor(/SIGTERM received; finishing/);
  process.kill(proc.child.pid!, 'SIGTERM');
  assert.equal(await proc.exited, 0);
  assert.ok(proc.lines.some((l) => /SIGTERM received again; exiting now/.test(l)));
  assert.notEqual(await hang, 'answered');
});

test('SIGINT shuts down the same way', { timeout: 20_000 }, async (t) => {
  const { proc, port } = await start();
  t.after(() => proc.kill());
  assert.equal((await httpGet(port, '/health')).status, 200);
  process.kill(proc.child.pid!, 'SIGINT');
  assert.equal(await proc.exited, 0);
});

test('an uncaught exception logs and exits 1', { timeout: 20_000 }, async (t) => {
  const { proc, port } = await start();
  t.after(() => proc.kill());
  assert.equal((await httpGet(port, '/crash')).body, 'crashing');
  assert.equal(await proc.exited, 1);
  assert.ok(
    proc.lines.some((l) => /error .*uncaught exception, exiting: Error: fixture crash/.test(l)),
    proc.lines.join('\n'),
  );
});
