// The per-service lock: an interrupt while waiting for another run ends the wait at once, having changed nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliDeps } from '../../install/deps.js';
import { exitCodeFor } from '../../install/main.js';
import { withLock } from '../../install/lock.js';
import { scratchDir } from '../helpers/paths.js';

test('SIGINT while waiting for another run on the same name: INTERRUPTED, exit 1, the work never runs', async (t) => {
  const runtime = scratchDir('lock');
  t.after(() => rmSync(runtime, { recursive: true, force: true }));
  mkdirSync(join(runtime, 'initsock'), { mode: 0o700 });
  writeFileSync(join(runtime, 'initsock', 'w.lock'), `${process.pid}\n`); // held by a live process: this one
  const controller = new AbortController();
  let waits = 0;
  const deps = {
    env: { XDG_RUNTIME_DIR: runtime },
    uid: process.getuid?.() ?? 0,
    signal: controller.signal,
    err: () => {},
    sleep: async () => {
      waits += 1;
      if (waits === 3) controller.abort('SIGINT');
    },
  } as unknown as CliDeps;
  let ran = false;
  const err = await withLock('w', deps, async () => {
    ran = true;
  }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.equal(ran, false);
  assert.match(
    (err as Error).message,
    /^interrupted \(SIGINT\) while waiting for another install-service run on w; nothing was changed\.$/,
  );
  assert.equal(exitCodeFor(err), 1);
  assert.equal(waits, 3, 'it stopped at the first wait after the interrupt');
});
