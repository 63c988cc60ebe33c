// Resolves the command of --exec/--adopt/--proxy-port to an absolute path at install time, by the stable-path rules --node follows.
import { realpathSync } from 'node:fs';
import { InitsockError } from '../errors.js';
import { executable, onPath, stableExecutable, staleReason } from './node-binary.js';

export interface ResolvedCommand {
  path: string;
  warnings: string[];
}

const realpathOr = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** The warning for a command whose path goes away when versions switch or caches are cleared. */
function staleCommand(what: string, path: string, why: string): string {
  return (
    `${what} ${path} belongs to ${why}; that path changes or disappears when versions switch or caches are cleared, and the ` +
    'service will then fail to start. Install the program system-wide or pass the absolute path of a copy that stays.'
  );
}

/**
 * A bare name (`uvicorn`) is looked up on $PATH: the first copy whose path is stable wins, else the first copy with a
 * warning. A name with a "/" is taken as given (relative to `cwd`); `check` (an existing executable file) is done by the caller.
 */
export function resolveCommand(
  what: string,
  cmd: string,
  env: NodeJS.ProcessEnv,
  absolute: (p: string) => string,
): ResolvedCommand {
  if (cmd.includes('/')) {
    const path = absolute(cmd);
    const why = staleReason(path) ?? staleReason(realpathOr(path));
    return { path, warnings: why ? [staleCommand(what, path, why)] : [] };
  }
  const found = onPath(cmd, env).filter(executable);
  const stable = found.find(stableExecutable);
  const first = found[0];
  if (stable !== undefined && stable !== first && first !== undefined) {
    return {
      path: stable,
      warnings: [
        `${what} ${cmd}: the first one on your PATH, ${first}, belongs to ${staleReason(first) ?? staleReason(realpathOr(first))}, ` +
          `which moves when versions change; the service runs ${stable} instead. Pass the absolute path to run another one.`,
      ],
    };
  }
  if (stable !== undefined) return { path: stable, warnings: [] };
  if (first === undefined) {
    throw new InitsockError(
      'INVALID_VALUE',
      `${what} ${JSON.stringify(cmd)} is not on your PATH (${env.PATH ?? 'unset'}). ` +
        'Pass its absolute path, or install it first.',
      { details: { option: what, value: cmd } },
    );
  }
  return {
    path: first,
    warnings: [staleCommand(what, first, staleReason(first) ?? staleReason(realpathOr(first)) ?? 'a cache')],
  };
}
