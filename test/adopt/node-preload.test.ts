// The Node/bun preload under systemd-socket-activate: a daemon that probes and binds its own port serves the inherited socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';
import { bunBin } from '../helpers/bun.js';
import { freePort, httpGet, startProc } from '../fixtures/runtime/proc.js';
import {
  ADOPT_NODE_PRELOAD,
  ADOPT_PYTHON_PATH,
  ADOPT_PORT_ENV,
  ADOPT_REPORT_ENV,
  adoptEnvironment,
} from '../../src/adopt/paths.js';

const daemon = join(distDir, 'test', 'fixtures', 'adopt', 'daemon.js');

/** The Send-Q column of the LISTEN row for `port` in `ss -ltn`: the listen backlog. */
function backlog(port: number): number | null {
  const row = spawnSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' })
    .stdout.trim()
    .split(/\s+/);
  return row.length > 2 ? Number(row[2]) : null;
}

/** Runs the fixture daemon under systemd-socket-activate with `env` (-E), and waits until the socket listens. */
async function activated(t: { after: (fn: () => void) => void }, runtime: string, env: Record<string, string>) {
  const port = await freePort();
  const proc = startProc('systemd-socket-activate', [
    '-l',
    `127.0.0.1:${port}`,
    ...Object.entries(env).map(([k, v]) => `-E${k}=${v}`),
    runtime,
    daemon,
    String(port),
  ]);
  t.after(() => proc.kill());
  await proc.waitFor(/Listening on/);
  return { proc, port };
}

for (const [runtime, bin] of [
  ['node', process.execPath],
  ['bun', bunBin],
] as const) {
  test(`${runtime}: the daemon's own probes pass and its listen(PORT) serves the inherited socket, backlog kept`, async (t) => {
    if (!bin) return t.skip('bun is not installed (scripts/test-deps.sh installs @oven/bun-linux-x64 on linux x64)');
    const { proc, port } = await activated(t, bin, {
      ...adoptEnvironment(runtime) /* no port: read from fd 3 */,
      [ADOPT_REPORT_ENV]: '1',
    });
    const before = backlog(port);
    const replies = await Promise.all(Array.from({ length: 10 }, () => httpGet(port, '/who')));
    for (const r of replies) {
      assert.deepEqual(
        JSON.parse(r.body),
        { pid: proc.child.pid, port, runtime },
        "the exec'd daemon answers, and address() names the activated port",
      );
    }
    await proc.waitFor(new RegExp(`daemon: listening on ${port}; self-check 200`));
    assert.ok(
      proc.lines.some((l) => l.includes(`refusing the daemon's own probe of port ${port}`)),
      proc.lines.join('\n'),
    );
    assert.equal(backlog(port), before, 'the inherited listen backlog stays (bun would re-listen with 511)');
    assert.ok(before !== null && before > 511, `systemd-socket-activate's backlog is above 511 (got ${before})`);
  });
}

test('without the preload the same daemon finds its port "taken" and exits 0 (the loop the preload ends)', async (t) => {
  const { proc, port } = await activated(t, process.execPath, {});
  await httpGet(port, '/who').catch(() => undefined);
  assert.equal(await proc.exited, 0);
  assert.ok(
    proc.lines.some((l) => /is taken; another instance must be running/.test(l)),
    proc.lines.join('\n'),
  );
});

test('INITSOCK_ADOPT_PORT names the port to adopt; a listen on another port is left alone', async (t) => {
  const other = await freePort();
  const { proc, port } = await activated(t, process.execPath, { ...adoptEnvironment('node', other) });
  await httpGet(port, '/').catch(() => undefined); // the daemon binds `port` itself: systemd holds it, so it sees it taken
  assert.equal(await proc.exited, 0, proc.lines.join('\n'));
});

test('adoptEnvironment loads the preload for each runtime and keeps what the variables held', () => {
  assert.deepEqual(adoptEnvironment('node', 37777, { NODE_OPTIONS: '--max-old-space-size=512' }), {
    NODE_OPTIONS: `--require ${ADOPT_NODE_PRELOAD} --max-old-space-size=512`,
    [ADOPT_PORT_ENV]: '37777',
  });
  assert.deepEqual(adoptEnvironment('bun'), { BUN_OPTIONS: `--preload ${ADOPT_NODE_PRELOAD}` });
  assert.match(adoptEnvironment('python', undefined, { PYTHONPATH: '/x' }).PYTHONPATH!, /\/adopt\/python:\/x$/);
});

test('the preloads read the variables src/adopt/paths.ts names', () => {
  for (const file of [ADOPT_NODE_PRELOAD, join(ADOPT_PYTHON_PATH, 'sitecustomize.py')]) {
    const text = readFileSync(file, 'utf8');
    for (const name of [ADOPT_PORT_ENV, ADOPT_REPORT_ENV]) assert.ok(text.includes(name), `${file} reads ${name}`);
  }
});
