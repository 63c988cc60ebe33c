// Against a real systemd --user: values that used to pass validation and fail only once installed are refused up
// front with exit 2, the reason and the fix, and nothing is written or loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from '../../src/exec/runner.js';
import { installCli } from '../helpers/paths.js';
import { freeBoxPort, unitProps, useBox, type Box } from '../integration/box/index.js';

const boxes = useBox();
const NAME = 'late-values';

function cli(box: Box, ...args: string[]): Promise<CommandResult> {
  return box.exec([process.execPath, installCli, 'install', '--name', NAME, ...args], {
    env: box.userEnv,
    timeoutMs: 60_000,
  });
}

/** Asserts a refusal: exit 2, the message, and no unit of NAME on disk or known to the manager. */
async function assertRefused(box: Box, r: CommandResult, message: RegExp): Promise<void> {
  assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, message);
  assert.deepEqual(
    readdirSync(box.layout.userConfigUnits).filter((f) => f.startsWith(NAME)),
    [],
  );
  assert.equal((await unitProps(box, `${NAME}.socket`, 'LoadState')).LoadState, 'not-found');
}

test('--node that is not a node, or a node older than package.json engines, is refused before anything is written', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = String(await freeBoxPort(box));
  await assertRefused(
    box,
    await cli(box, '--port', port, '--node', '/usr/bin/python3'),
    /--node "\/usr\/bin\/python3" is not a node binary: running `\/usr\/bin\/python3 -p process\.versions\.node` exited \d+ .*Pass the path of node 20\.16\.0 or later/,
  );
  const old = join(box.layout.dir, 'old-node');
  writeFileSync(old, '#!/bin/sh\necho 18.19.0\n');
  chmodSync(old, 0o755);
  await assertRefused(
    box,
    await cli(box, '--port', port, '--node', old),
    /--node ".*old-node" is node 18\.19\.0, older than the 20\.16\.0 initsock needs/,
  );
});

test('a loopback --host the worker does not answer (127.0.0.2, ::ffff:127.0.0.1) is refused', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = String(await freeBoxPort(box));
  for (const host of ['127.0.0.2', '::ffff:127.0.0.1']) {
    await assertRefused(
      box,
      await cli(box, '--port', port, '--host', host),
      new RegExp(
        `--host "${host.replace(/\./g, '\\.')}" is a loopback address the worker does not answer: .*Pass --host 127\\.0\\.0\\.1 or --host ::1`,
      ),
    );
  }
});

test('an --app path the worker cannot import (a backslash in it) is refused', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const dir = join(box.layout.dir, 'back\\slash');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.mjs'), 'export default (req, res) => res.end("ok");\n');
  await assertRefused(
    box,
    await cli(box, '--port', String(await freeBoxPort(box)), '--app', join(dir, 'app.mjs')),
    /--app ".*back.+slash\/app\.mjs" cannot be loaded by the worker: its path contains a backslash/,
  );
});
