// Idle exit under load: connections that arrive while the worker exits wait in the kernel queue and are all answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';
import { freePort, httpGet, startProc } from '../fixtures/runtime/proc.js';

const holder = join(distDir, 'test', 'fixtures', 'runtime', 'holder.js');
const EXITS = 4;

type Outcome = { ok: true; pid: number } | { ok: false; error: string };

async function ask(port: number): Promise<Outcome> {
  try {
    const r = await httpGet(port, '/health');
    if (r.status !== 200) return { ok: false, error: `status ${r.status}` };
    return { ok: true, pid: (JSON.parse(r.body) as { pid: number }).pid };
  } catch (err) {
    return { ok: false, error: String((err as NodeJS.ErrnoException).code ?? err) };
  }
}

test('connections arriving during idle exit are answered by this instance or the next, none reset', {
  timeout: 50_000,
}, async (t) => {
  const port = await freePort();
  // systemd-socket-activate binds and execs the holder, which keeps fd 3 and re-activates a worker (handoff) on demand.
  const proc = startProc('systemd-socket-activate', [
    '-l',
    `127.0.0.1:${port}`,
    process.execPath,
    holder,
    '--idle-timeout',
    '100ms',
  ]);
  t.after(() => proc.kill());
  await proc.waitFor(/Listening on/);

  const outcomes: Outcome[] = [];
  let stop = false;
  // Background load: two clients with random pauses, so idle exits happen while connections keep arriving.
  const trickle = async () => {
    while (!stop) {
      outcomes.push(await ask(port));
      await new Promise((r) => setTimeout(r, Math.random() * 300));
    }
  };
  const background = [trickle(), trickle()];
  // On each idle exit, at once: a burst of connections that land while the worker is stopping or gone.
  const burstPids: number[][] = [];
  for (let k = 1; k <= EXITS; k++) {
    await proc.waitFor(/idle timeout reached/, k);
    const burst = await Promise.all(Array.from({ length: 25 }, () => ask(port)));
    outcomes.push(...burst);
    burstPids.push(burst.flatMap((o) => (o.ok ? [o.pid] : [])));
  }
  stop = true;
  await Promise.all(background);

  const failed = outcomes.filter((o) => !o.ok);
  assert.deepEqual(failed, [], `every connection is answered (${outcomes.length} made)`);
  const pids = new Set(outcomes.flatMap((o) => (o.ok ? [o.pid] : [])));
  assert.ok(pids.size >= EXITS, `several worker instances served (${pids.size})`);
  assert.ok(
    burstPids.every((b) => b.length === 25),
    'each burst fully answered',
  );
  const exits = proc.lines.filter((l) => /^holder: worker \d+ exited/.test(l));
  assert.ok(
    exits.length >= EXITS && exits.every((l) => / exited 0$/.test(l)),
    `idle exits are clean:\n${exits.join('\n')}`,
  );
  process.kill(proc.child.pid!, 'SIGTERM');
  assert.equal(await proc.exited, 0);
});
