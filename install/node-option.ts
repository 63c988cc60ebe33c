// --node: the runtime initsock's own worker runs under, found on PATH when given by name, checked before anything is written.
import { isAbsolute, resolve } from 'node:path';
import { InitsockError } from '../src/errors.js';
import { resolveCommand } from '../src/service/command-path.js';
import { defaultNode, staleReason, staleWarning } from '../src/service/node-binary.js';
import { assertSupportedNode } from '../src/service/node-version.js';
import type { ProgramMode } from '../src/service/program.js';
import { detectRuntime } from '../src/service/runtime-detect.js';
import type { RawOptions } from './args.js';
import type { CliDeps } from './deps.js';
import { existingPath } from './validate.js';

/**
 * bun's http.Server ignores listen({ fd }) and serves a random port on every interface, so the worker's served-socket
 * check would make it exit 78 on every start; refused here instead, where nothing is written yet. The proxy worker
 * accepts on a net.Server, which bun does give the inherited fd.
 */
function refuseBunWorker(path: string, mode: ProgramMode | undefined): void {
  if (mode === 'proxy' || detectRuntime(path) !== 'bun') return;
  throw new InitsockError(
    'INVALID_VALUE',
    `--node ${JSON.stringify(path)} is bun, under which initsock's worker cannot serve the ` +
      "inherited socket (bun's http.Server ignores the fd and would listen on a random port on every interface). Run the worker " +
      'with node (leave --node out, or --node /usr/bin/node); to run a bun program, give it after --proxy-port N -- or --adopt --.',
    { details: { option: '--node', value: path } },
  );
}

/** A bare name (`--node bun`) is looked up on $PATH as a program's command is; a path is taken relative to the folder. */
function givenNode(value: string, deps: CliDeps, warnings: string[]): string {
  if (value.includes('/')) return existingPath('--node', value, deps.cwd, 'executable');
  const found = resolveCommand('--node', value, deps.env, (p) => (isAbsolute(p) ? p : resolve(deps.cwd, p)));
  warnings.push(...found.warnings);
  return existingPath('--node', found.path, deps.cwd, 'executable');
}

/** --node: the given runtime (found, checked to be a supported node, bun only in front of a program), or the real node behind the running one. */
export async function nodePath(o: RawOptions, deps: CliDeps, warnings: string[], mode?: ProgramMode): Promise<string> {
  if (o.node !== undefined) {
    const path = givenNode(o.node, deps, warnings);
    await assertSupportedNode('--node', path, deps.run); // python3 or an old node would only fail once installed
    refuseBunWorker(path, mode);
    const why = staleReason(path);
    if (why && o.node.includes('/')) warnings.push(staleWarning(path, why));
    return path;
  }
  const choice = await defaultNode({ execPath: deps.execPath, env: deps.env, run: deps.run });
  warnings.push(...choice.warnings);
  return choice.path;
}
