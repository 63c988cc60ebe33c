// Runs small node client scripts inside the box (it has its own loopback), and finds a free port there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from '../../../src/exec/runner.js';
import { distDir } from '../../helpers/paths.js';
import type { Box } from './box.js';
import type { BoxExecOptions } from './nsexec.js';

let scriptCount = 0;

/** The built path of a box fixture: test/fixtures/box/NAME.ts → dist/test/fixtures/box/NAME.js. */
export function boxFixture(name: string): string {
  return join(distDir, 'test', 'fixtures', 'box', `${name.replace(/\.(ts|js)$/, '')}.js`);
}

/** Runs `node script ...args` inside the box with the test's own node binary. */
export function runNode(
  box: Box,
  script: string,
  args: string[] = [],
  options: BoxExecOptions = {},
): Promise<CommandResult> {
  return box.exec([process.execPath, script, ...args], options);
}

/** Writes `source` (an ES module) into the box folder and runs it inside the box with `args`. */
export function runNodeScript(
  box: Box,
  source: string,
  args: string[] = [],
  options: BoxExecOptions = {},
): Promise<CommandResult> {
  const dir = join(box.layout.dir, 'clients');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, `client-${++scriptCount}.mjs`);
  writeFileSync(script, source);
  return runNode(box, script, args, options);
}

/** Like runNode, but parses the script's stdout as JSON; throws with its stderr when it fails. */
export async function runNodeJson<T>(
  box: Box,
  script: string,
  args: string[] = [],
  options: BoxExecOptions = {},
): Promise<T> {
  const result = await runNode(box, script, args, options);
  if (result.code !== 0) {
    throw new Error(`client ${script} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return JSON.parse(result.stdout) as T;
}

const FREE_PORT = `import net from 'node:net';
const s = net.createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });`;

/** A loopback port nobody listens on inside the box (the box has its own network namespace). */
export async function freeBoxPort(box: Box): Promise<number> {
  const result = await runNodeScript(box, FREE_PORT);
  const port = Number(result.stdout.trim());
  if (result.code !== 0 || !Number.isInteger(port) || port <= 0) {
    throw new Error(`cannot find a free port in the box: ${result.stderr.trim()}`);
  }
  return port;
}
