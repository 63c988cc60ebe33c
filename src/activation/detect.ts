// The one place that picks the activation source: --listen, then LISTEN_* (handoff or systemd), then launchd on macOS.
import { LAUNCHD_SOCKET_KEY, LISTEN_PID } from '../contract/index.js';
import { InitsockError } from '../errors.js';
import { handoffSource, isHandoffEnv } from './handoff.js';
import { launchdSource } from './launchd.js';
import { systemdSource, unsetListenEnv } from './systemd.js';
import type { Activation, ActivationSource } from './types.js';

export interface DetectOptions {
  /** Bind this address ourselves (explicit --listen only; development). */
  listen?: { host: string; port: number };
  /** Environment to read; the LISTEN_* variables are removed from it (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** This process's pid (default: process.pid). */
  pid?: number;
  /** The platform (default: process.platform). */
  platform?: NodeJS.Platform;
  /** The launchd Sockets key (default "Listeners"). */
  socketName?: string;
  /** The library exporting launch_activate_socket (default: libSystem; tests pass a stub). */
  launchdLibrary?: string;
}

/** Lists the sources in this order: LISTEN_PID (handoff if marked, else systemd), then launchd. */
export function activationSources(options: DetectOptions): ActivationSource[] {
  const env = options.env ?? process.env;
  const sources: ActivationSource[] = [];
  if (env[LISTEN_PID] !== undefined) {
    const listenOpts = { env, pid: options.pid ?? process.pid };
    sources.push(isHandoffEnv(env) ? handoffSource(listenOpts) : systemdSource(listenOpts));
  }
  if ((options.platform ?? process.platform) === 'darwin') {
    const library = options.launchdLibrary;
    sources.push(
      launchdSource({ socketName: options.socketName ?? LAUNCHD_SOCKET_KEY, ...(library ? { library } : {}) }),
    );
  }
  return sources;
}

/**
 * Returns how this process received its socket(s). Throws NOT_ACTIVATED when no source started it (the
 * worker then exits 78 and never binds the port itself), and passes on any source's own error.
 */
export function detectActivation(options: DetectOptions = {}): Activation {
  const env = options.env ?? process.env;
  if (options.listen) {
    unsetListenEnv(env); // whatever they say, children must not inherit them
    return { kind: 'listen', host: options.listen.host, port: options.listen.port };
  }
  const hadListenPid = env[LISTEN_PID];
  for (const source of activationSources(options)) {
    const activation = source.activate();
    if (activation) return activation;
  }
  const why =
    hadListenPid === undefined
      ? 'no socket was passed to it (no LISTEN_PID / LISTEN_FDS, and not started by launchd)'
      : `LISTEN_PID=${hadListenPid} names another process, not this one (pid ${options.pid ?? process.pid})`;
  throw new InitsockError(
    'NOT_ACTIVATED',
    `this worker was not socket-activated: ${why}. Start it through its ` +
      'socket unit (install-service), or pass --listen 127.0.0.1:PORT to bind a port yourself for development.',
    { details: { listenPid: hadListenPid } },
  );
}
