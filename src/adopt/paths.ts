// Where the adopting preloads live in the installed package, and the environment that loads each one into a daemon.
import { join } from 'node:path';
import { packageRoot } from '../paths.js';

/**
 * The Node/bun preload (adopt/node/preload.cjs): a daemon whose own code calls listen(PORT) (net or http, Express
 * included) on the socket-activated port serves the inherited socket instead, keeping its backlog, and its own
 * "is the port free?" probes (bind, connect, fetch) pass. Loaded by NODE_OPTIONS for node, BUN_OPTIONS for bun.
 */
export const ADOPT_NODE_PRELOAD = join(packageRoot, 'adopt', 'node', 'preload.cjs');
/** The Python path entry (adopt/python/) whose sitecustomize.py adopts fd 3 for uvicorn and socketserver/http.server. */
export const ADOPT_PYTHON_PATH = join(packageRoot, 'adopt', 'python');

/** The activated port; optional (the preloads read fd 3's port from /proc on Linux), but set it where it is known. */
export const ADOPT_PORT_ENV = 'INITSOCK_ADOPT_PORT';
/** "1": each preload writes one line to stderr for what it adopted or refused (for debugging a recipe). */
export const ADOPT_REPORT_ENV = 'INITSOCK_ADOPT_REPORT';

/** The runtimes a preload exists for. */
export type AdoptRuntime = 'node' | 'bun' | 'python';

/** Double-quotes `path` for NODE_OPTIONS/BUN_OPTIONS, which split on spaces; refuses what cannot be quoted there. */
function quoted(path: string): string {
  if (/["\\\n]/.test(path))
    throw new Error(`the package path ${JSON.stringify(path)} holds a quote, backslash or newline`);
  return /\s/.test(path) ? `"${path}"` : path;
}

/**
 * The variables that load the preload for `runtime`, added to what `env` already holds (an existing NODE_OPTIONS,
 * BUN_OPTIONS or PYTHONPATH is kept after ours), plus INITSOCK_ADOPT_PORT when `port` is given. The preloads act
 * only in the process whose pid is LISTEN_PID, so children that inherit these variables are left alone.
 */
export function adoptEnvironment(
  runtime: AdoptRuntime,
  port?: number,
  env: NodeJS.ProcessEnv = {},
): Record<string, string> {
  const join2 = (ours: string, theirs: string | undefined, sep: string) => (theirs ? `${ours}${sep}${theirs}` : ours);
  const out: Record<string, string> =
    runtime === 'python'
      ? { PYTHONPATH: join2(ADOPT_PYTHON_PATH, env.PYTHONPATH, ':') }
      : runtime === 'bun'
        ? { BUN_OPTIONS: join2(`--preload ${quoted(ADOPT_NODE_PRELOAD)}`, env.BUN_OPTIONS, ' ') }
        : { NODE_OPTIONS: join2(`--require ${quoted(ADOPT_NODE_PRELOAD)}`, env.NODE_OPTIONS, ' ') };
  if (port !== undefined) out[ADOPT_PORT_ENV] = String(port);
  return out;
}
