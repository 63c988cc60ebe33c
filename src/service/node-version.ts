// The node a service runs must be a node, at or above the version package.json's engines field names (one home).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InitsockError } from '../errors.js';
import type { CommandRunner } from '../exec/runner.js';
import { packageRoot } from '../paths.js';

/** The lowest node version initsock runs on, from package.json `engines.node` (">=20.16"), as [major, minor, patch]. */
export function minimumNode(): [number, number, number] {
  const engines =
    (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines
      ?.node ?? '';
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(engines.trim());
  if (!m) throw new Error(`package.json engines.node ${JSON.stringify(engines)} is not ">=X.Y.Z"`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

const atLeast = (v: number[], min: number[]): boolean => {
  for (let i = 0; i < 3; i++) if ((v[i] ?? 0) !== (min[i] ?? 0)) return (v[i] ?? 0) > (min[i] ?? 0);
  return true;
};

/** The version `path` reports as node ("20.16.0"), or why it did not (not a node, or it failed to run). */
export async function nodeVersionOf(
  path: string,
  run: CommandRunner,
): Promise<{ version: number[] } | { why: string }> {
  const res = await run([path, '-p', 'process.versions.node'], { timeoutMs: 10_000 });
  const out = res.stdout.trim();
  if (res.code === 0 && /^\d+\.\d+\.\d+$/.test(out)) return { version: out.split('.').map(Number) };
  const said = (res.stderr.trim() || out).split('\n')[0]?.slice(0, 120) ?? '';
  return {
    why: `running \`${path} -p process.versions.node\` exited ${res.code}${said ? ` (${said})` : ''} instead of printing a node version`,
  };
}

/** True when `path` runs a node at or above minimumNode(). */
export async function runsSupportedNode(path: string, run: CommandRunner): Promise<boolean> {
  const v = await nodeVersionOf(path, run);
  return 'version' in v && atLeast(v.version, minimumNode());
}

/** Throws INVALID_VALUE (nothing written yet) unless `path` is a node at or above the engines version. */
export async function assertSupportedNode(what: string, path: string, run: CommandRunner): Promise<void> {
  const min = minimumNode().join('.');
  const v = await nodeVersionOf(path, run);
  if ('why' in v) {
    throw new InitsockError(
      'INVALID_VALUE',
      `${what} ${JSON.stringify(path)} is not a node binary: ${v.why}. ` +
        `Pass the path of node ${min} or later, e.g. --node /usr/bin/node.`,
      { details: { option: what, value: path } },
    );
  }
  if (!atLeast(v.version, minimumNode())) {
    throw new InitsockError(
      'INVALID_VALUE',
      `${what} ${JSON.stringify(path)} is node ${v.version.join('.')}, older than the ${min} ` +
        `initsock needs (package.json engines). Pass a newer node, e.g. --node /usr/bin/node.`,
      { details: { option: what, value: path } },
    );
  }
}
