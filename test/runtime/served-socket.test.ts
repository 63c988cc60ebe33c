// The served-socket check: a runtime that ignores the inherited fd (bun's http.Server) exits 78 instead of serving a port of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { distDir, workerBin } from '../helpers/paths.js';
import { bunBin } from '../helpers/bun.js';
import { freePort, httpGet, startProc } from '../fixtures/runtime/proc.js';
import { checkServesFd, fdLocalAddress } from '../../src/runtime/served-socket.js';
import { serverFd } from '../../src/activation/handoff.js';

const listening = (host: string): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, host, () => resolve(s));
  });

test("a server listening anywhere but on the given fd is WRONG_SOCKET; the fd's own server passes", async (t) => {
  const [inherited, other] = [await listening('127.0.0.1'), await listening('127.0.0.1')];
  t.after(() => {
    inherited.close();
    other.close();
  });
  const fd = serverFd(inherited);
  assert.deepEqual(fdLocalAddress(fd)?.port, (inherited.address() as { port: number }).port);
  checkServesFd(inherited, fd, 'x');
  assert.throws(
    () => checkServesFd(other, fd, 'x'),
    (err: Error & { code?: string }) =>
      err.code === 'WRONG_SOCKET' &&
      err.message.includes(
        `a socket on port ${(inherited.address() as { port: number }).port}, but it listens on 127.0.0.1:${(other.address() as { port: number }).port}`,
      ),
  );
});

for (const entry of ['worker.js', 'worker-fast.cjs']) {
  test(`bun running the default worker (${entry}) exits 78 with WRONG_SOCKET instead of serving a random port`, async (t) => {
    if (!bunBin) return t.skip('bun is not installed (scripts/test-deps.sh installs @oven/bun-linux-x64 on linux x64)');
    const port = await freePort();
    const proc = startProc('systemd-socket-activate', [
      '-l',
      `127.0.0.1:${port}`,
      bunBin,
      join(distDir, 'src', 'bin', entry),
    ]);
    t.after(() => proc.kill());
    await proc.waitFor(/Listening on/);
    await httpGet(port, '/health').catch(() => undefined);
    assert.equal(await proc.exited, 78);
    assert.ok(
      proc.lines.some((l) =>
        /WRONG_SOCKET: the worker was given fd 3 .* but it listens on .*this runtime \(bun /.test(l),
      ),
      proc.lines.join('\n'),
    );
    assert.ok(!proc.lines.some((l) => /Module\.wrap is not a function/.test(l)));
  });
}

test('bun can run the proxy worker: its net.Server serves the inherited fd', async (t) => {
  if (!bunBin) return t.skip('bun is not installed (scripts/test-deps.sh installs @oven/bun-linux-x64 on linux x64)');
  const [port, child] = [await freePort(), await freePort()];
  const proc = startProc('systemd-socket-activate', [
    '-l',
    `127.0.0.1:${port}`,
    bunBin,
    workerBin,
    '--proxy-port',
    String(child),
    '--',
    process.execPath,
    join(distDir, 'test', 'fixtures', 'proxy', 'daemon.js'),
    String(child),
  ]);
  t.after(() => proc.kill());
  await proc.waitFor(/Listening on/);
  const before = backlog(port);
  assert.equal((await httpGet(port, '/hi')).body, 'echo GET /hi ');
  assert.equal(backlog(port), before, 'the inherited backlog stays (bun alone would re-listen with 511)');
});

/** The Send-Q column of the LISTEN row for `port` in `ss -ltn`: the listen backlog. */
function backlog(port: number): number | null {
  const row = spawnSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' })
    .stdout.trim()
    .split(/\s+/);
  return row.length > 2 ? Number(row[2]) : null;
}
