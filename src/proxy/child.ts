// The proxied program: started as the worker's own child with a clean environment, and watched until it exits.
import type { ChildProcess } from 'node:child_process';
import { unsetListenEnv } from '../activation/systemd.js';
import type { ChildRegistry } from '../runtime/children.js';
import { PROXY_OPTION_ENV, type ProxyOptions } from '../contract/proxy.js';

/** How the child ended: an exit code, a signal, or a failure to start (spawn's error, e.g. ENOENT). */
export type ChildEnd = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/**
 * The child's environment: the worker's, without the activation variables (the socket is the worker's, not the
 * child's) and without the proxy's own settings (a child that is itself an initsock worker must not read them).
 */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  unsetListenEnv(out);
  for (const name of Object.values(PROXY_OPTION_ENV)) delete out[name];
  return out;
}

/** "exited with code 3", "was killed by SIGKILL", "could not start (spawn x ENOENT)". */
export function describeEnd(end: ChildEnd): string {
  if (end.error) return `could not start (${end.error.message})`;
  return end.signal ? `was killed by ${end.signal}` : `exited with code ${end.code}`;
}

/**
 * Starts `options.command` through `registry` (so idle exit and shutdown stop it and its process group), with
 * stdin closed and stdout/stderr shared with the worker (the journal, or the worker's terminal). `ended`
 * resolves once, however the child ends.
 */
export function startChild(
  options: ProxyOptions,
  env: NodeJS.ProcessEnv,
  registry: ChildRegistry,
): { child: ChildProcess; ended: Promise<ChildEnd> } {
  const child = registry.spawn(options.command, options.args, {
    env: childEnv(env),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const ended = new Promise<ChildEnd>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, ended };
}
