// Against a real systemd --user (the test box): the hostile units exec the worker with exactly the argv, env and cwd we rendered.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { systemdUnitFiles, workerArgv } from '../../../src/service/systemd/units.js';
import type { ServiceConfig } from '../../../src/service/types.js';
import {
  boxFixture,
  daemonReload,
  freeBoxPort,
  removeUserUnit,
  runNodeJson,
  useBox,
  writeUserUnit,
} from '../../integration/box/index.js';
import { cases } from './cases.js';

const boxes = useBox();
// Answers one request on the inherited socket (fd 3) with its argv0, argv, cwd and environment, then exits. CommonJS:
// node's ESM loader refuses a main module whose path holds a backslash (ERR_INVALID_MODULE_SPECIFIER), as this one does.
const ECHO_EXEC = `const { createServer } = require('node:http');
createServer((req, res) => {
  const body = JSON.stringify({ argv0: process.argv0, argv: process.argv.slice(1), cwd: process.cwd(), env: process.env });
  res.end(body, () => process.exit(0));
}).listen({ fd: 3 });
`;

interface Echo {
  argv0: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** The hostile config, with its program, entry and working directory made real inside `base` (same odd characters). */
function realHostile(base: string, port: number): ServiceConfig {
  const hostile = cases.hostile!;
  const cfg: ServiceConfig = {
    ...hostile,
    host: '127.0.0.1', // the box's loopback; the IPv6 form is covered by systemd-verify.test.ts
    port,
    node: join(base, hostile.node),
    entry: join(base, 'o\'neil/my app/%h/$HOME/"quoted"/back\\slash/echo ü.cjs'),
    workingDir: join(base, hostile.workingDir!),
  };
  for (const dir of [dirname(cfg.node), dirname(cfg.entry), cfg.workingDir!]) mkdirSync(dir, { recursive: true });
  symlinkSync(process.execPath, cfg.node);
  writeFileSync(cfg.entry, ECHO_EXEC);
  return cfg;
}

test('hostile units: the process gets exactly the rendered argv, environment and working directory', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const cfg = realHostile(join(box.home, 'hostile'), await freeBoxPort(box));
  const files = systemdUnitFiles(cfg, box.layout.userConfigUnits);
  for (const file of files)
    await writeUserUnit(box, file.path.slice(box.layout.userConfigUnits.length + 1), file.content);
  t.after(async () => {
    await box.systemctlUser('stop', `${cfg.name}.socket`, `${cfg.name}.service`);
    for (const file of files) await removeUserUnit(box, file.path.slice(box.layout.userConfigUnits.length + 1));
  });
  await daemonReload(box);
  const start = await box.systemctlUser('start', `${cfg.name}.socket`);
  assert.equal(start.code, 0, start.stderr);

  const reply = await runNodeJson<{ status: number; body: Echo }>(box, boxFixture('get-json'), [
    String(cfg.port),
    '/',
  ]).catch(async (err: Error) => {
    throw new Error(`${err.message}\n${await box.logs(20)}`);
  });
  assert.equal(reply.status, 200, await box.logs(20));
  const [node, ...args] = workerArgv(cfg);
  assert.equal(reply.body.argv0, node, 'argv[0] is the program path as written');
  assert.deepEqual(reply.body.argv, args, 'no %specifier or $variable was expanded, no word was split or joined');
  assert.equal(reply.body.cwd, cfg.workingDir);
  const expectedEnv = new Map(cfg.env); // a repeated name: the later value wins
  for (const [key, value] of expectedEnv) assert.equal(reply.body.env[key], value, `environment ${key}`);
  assert.equal(reply.body.env.LISTEN_FDNAMES, cfg.name);
});
