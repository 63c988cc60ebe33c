// Picks the node binary a service runs: the real one behind the running node, never a shim or version-manager path that goes stale.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { runsSupportedNode } from './node-version.js';
import { delimiter, join } from 'node:path';
import type { CommandRunner } from '../exec/runner.js';

/** Paths that stop working when the user switches, upgrades or removes a node version, or clears a cache. */
const STALE: Array<[RegExp, string]> = [
  [/\/\.nvm\//, 'nvm'],
  [/\/(\.fnm|fnm|fnm_multishells)\//, 'fnm'],
  [/\/\.volta\//, 'volta'],
  [/\/\.asdf\//, 'asdf'],
  [/\/\.pyenv\//, 'pyenv'],
  [/\/\.nodenv\//, 'nodenv'],
  [/\/(mise|rtx)\/installs\//, 'mise'],
  [/\/n\/versions\//, 'n'],
  [/\/_npx\//, 'an npx cache'],
  [/\/\.npm\//, 'the npm cache'],
  [/\/Cellar\/node(@\d+)?\//, 'a Homebrew versioned folder'],
];

/** Where a stable node usually lives, tried after $PATH. */
const USUAL = ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'];

/** The tool that owns `path` when it is one that goes stale ("nvm", "an npx cache"...); null for a stable path. */
export function staleReason(path: string): string | null {
  return STALE.find(([re]) => re.test(path))?.[1] ?? null;
}

export interface NodeChoice {
  path: string;
  warnings: string[];
}

export interface NodeSearch {
  /** The running node (process.execPath). */
  execPath: string;
  env: NodeJS.ProcessEnv;
  run: CommandRunner;
  /** Extra folders to look in after $PATH (default /usr/bin, /usr/local/bin, /opt/homebrew/bin). */
  usual?: string[];
}

const realpathOr = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};
/** True for an executable regular file. */
export const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** An executable whose path stays valid: neither it nor its target is stale (a Homebrew bin link into Cellar is kept: it follows upgrades). */
export function stableExecutable(path: string): boolean {
  const real = realpathOr(path);
  return staleReason(path) === null && (staleReason(real) === null || /Cellar/.test(real)) && executable(path);
}

/** Every `file` in the absolute folders of $PATH, then in `extra`, once each, in order. */
export function onPath(file: string, env: NodeJS.ProcessEnv, extra: string[] = []): string[] {
  const dirs = [...(env.PATH ?? '').split(delimiter), ...extra].filter((d) => d.startsWith('/'));
  return [...new Set(dirs.map((d) => join(d, file)))];
}

/** Candidates that are stable by path: a Homebrew /opt/homebrew/bin/node link is kept, it always points to the current version. */
function stableCandidates(search: NodeSearch): string[] {
  return onPath('node', search.env, search.usual ?? USUAL).filter(stableExecutable);
}

/**
 * The default --node: realpath(process.execPath) when that is stable; otherwise the first stable node (at or above package.json engines) on
 * $PATH or in the usual places; otherwise the running one, with a warning saying why it will go stale.
 */
export async function defaultNode(search: NodeSearch): Promise<NodeChoice> {
  const real = realpathOr(search.execPath);
  const why = staleReason(real);
  if (why === null) return { path: real, warnings: [] };
  for (const candidate of stableCandidates(search)) {
    if (await runsSupportedNode(candidate, search.run)) {
      return {
        path: candidate,
        warnings: [
          `the running node (${real}) belongs to ${why}; the service uses ${candidate} instead, which does not move when versions change.`,
        ],
      };
    }
  }
  return { path: real, warnings: [staleWarning(real, why)] };
}

/** The warning for a node path that will go stale. */
export function staleWarning(path: string, why: string): string {
  return (
    `the only node found (${path}) belongs to ${why}; that path changes or disappears when versions switch or caches are cleared, and the service will then fail to start. ` +
    'Install node system-wide (e.g. apt install nodejs, brew install node) or pass --node /a/stable/path/to/node.'
  );
}
