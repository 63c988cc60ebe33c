// The Python path entry under systemd-socket-activate: uvicorn.run(port=P) and http.server on P serve the inherited socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fixturesDir } from '../helpers/paths.js';
import { freePort, httpGet, startProc } from '../fixtures/runtime/proc.js';
import { ADOPT_REPORT_ENV, adoptEnvironment } from '../../src/adopt/paths.js';

const python = '/usr/bin/python3';
const has = (module: string): boolean =>
  spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

/** Runs `script PORT` under systemd-socket-activate with `env` and returns its first answer on the socket. */
async function run(t: { after: (fn: () => void) => void }, script: string, env: Record<string, string>) {
  const port = await freePort();
  const proc = startProc('systemd-socket-activate', [
    '-l',
    `127.0.0.1:${port}`,
    ...Object.entries(env).map(([k, v]) => `-E${k}=${v}`),
    python,
    join(fixturesDir, 'adopt', script),
    String(port),
  ]);
  t.after(() => proc.kill());
  await proc.waitFor(/Listening on/);
  return { proc, port, reply: await httpGet(port, '/x').catch((err: Error) => err) };
}

for (const [script, module] of [
  ['asgi_app.py', 'uvicorn'],
  ['http_server.py', 'http.server'],
] as const) {
  test(`${module}: the program's own port is served from the inherited socket`, async (t) => {
    if (!has(module))
      return t.skip(`${python} has no ${module} (Debian: apt-get install python3-uvicorn; scripts/test-deps.sh)`);
    const { proc, reply } = await run(t, script, { ...adoptEnvironment('python'), [ADOPT_REPORT_ENV]: '1' });
    assert.ok(!(reply instanceof Error), `answered: ${String(reply)}\n${proc.lines.join('\n')}`);
    assert.equal((JSON.parse(reply.body) as { pid: number }).pid, proc.child.pid, "the exec'd program answers");
    await proc.waitFor(new RegExp(`${module === 'uvicorn' ? 'uvicorn' : 'socketserver'} serves port \\d+ from fd 3`));
  });
}

test('uvicorn on the inherited socket keeps Nagle off on its connections, as when it binds the port itself', async (t) => {
  if (!has('uvicorn')) return t.skip(`${python} has no uvicorn (Debian: apt-get install python3-uvicorn)`);
  const { proc, reply } = await run(t, 'asgi_app.py', adoptEnvironment('python'));
  assert.ok(!(reply instanceof Error), `answered: ${String(reply)}\n${proc.lines.join('\n')}`);
  // uvicorn's own --fd path wraps the fd as AF_UNIX, so asyncio sets no TCP_NODELAY and each keep-alive answer waits for a delayed ACK.
  assert.equal((JSON.parse(reply.body) as { nodelay: number | null }).nodelay, 1);
});

test('without the path entry the same uvicorn program cannot bind the port the init system holds', async (t) => {
  if (!has('uvicorn')) return t.skip(`${python} has no uvicorn (Debian: apt-get install python3-uvicorn)`);
  const { proc, reply } = await run(t, 'asgi_app.py', {});
  assert.ok(reply instanceof Error, 'the connection that started it is never answered');
  assert.notEqual(await proc.exited, 0);
});

test("the distribution's own sitecustomize still runs after ours", (t) => {
  const site = spawnSync(python, ['-c', 'import sys; print(sys.modules["sitecustomize"].__file__)'], {
    encoding: 'utf8',
  });
  if (site.status !== 0) return t.skip('this python has no sitecustomize of its own');
  const ours = spawnSync(python, ['-c', 'import sys; print(sys.modules["sitecustomize"].__file__)'], {
    encoding: 'utf8',
    env: { ...process.env, ...adoptEnvironment('python') },
  });
  assert.equal(ours.stdout, site.stdout);
});
