// serve()'s options, and how they are resolved: the caller's values over the flags and INITSOCK_* variables, and the guard.
import { allowsOtherUsers, DEFAULT_DRAIN_MS, DEFAULT_SERVICE_NAME } from '../contract/index.js';
import type { DetectOptions } from '../activation/detect.js';
import type { Activation } from '../activation/types.js';
import type { ChildRegistry } from './children.js';
import type { ProcessTree } from './descendants.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { RequestGuard } from './serve-handler.js';
import { readServeSettings, type ServeSettings } from './serve-settings.js';
import { portGuard } from '../security/port-guard.js';
import { readToken } from '../security/token.js';

/**
 * Every setting below that has a flag is, when not given here, read from the flags install-service passes
 * (--idle-timeout, --shutdown-timeout, --name, --token-file, --log-level, --socket-name, --allow-host, --allow-origin)
 * or the matching INITSOCK_* variable; what the code passes wins. Without a logger, --log-file / INITSOCK_LOG_FILE
 * (which the fallback client sets) picks the rotating log file.
 */
export interface ServeOptions extends DetectOptions {
  /** Use this activation instead of detecting one. */
  activation?: Activation;
  /** Exit after this long with no open connection; 0 (the default) = never. */
  idleTimeoutMs?: number;
  /** How long a shutdown waits for requests in flight (default 10 s). */
  shutdownTimeoutMs?: number;
  /**
   * Default: the request guard (Host and Origin must name the socket served; with a token, every route but /health needs
   * it). Pass your own guard, or `false` to serve unguarded: other local users and web pages can then reach the app.
   */
  guard?: RequestGuard | false;
  /** The bearer token the default guard requires (default: the one in tokenFile; none when there is no file). */
  token?: string | null;
  /** The token file (default: --token-file / INITSOCK_TOKEN_FILE). */
  tokenFile?: string;
  /** Extra Host names and Origins the default guard accepts (default: --allow-host / --allow-origin). */
  allowedHosts?: readonly string[];
  allowedOrigins?: readonly string[];
  /** The service name /health reports (default: --name, else "initsock-worker"). */
  name?: string;
  /** Answer GET /health when the app does not (default true); a plain (req, res) handler answering it itself passes false. */
  health?: boolean;
  /**
   * Route console.error / console.warn through the logger at error / warning (default true), and, when stdout and stderr
   * are the worker's own log file, the app's writes into it so its size bound holds for them too.
   */
  captureConsole?: boolean;
  /** Where to read the flags (default process.argv.slice(2)); unknown flags are left to the program. */
  argv?: readonly string[];
  /** Default: a winston logger in the form the environment expects (see logger.ts). */
  logger?: Logger;
  /** Called to end the process (default process.exit); tests inject their own. */
  exit?: (code: number) => void;
  clock?: Clock;
  /** Install SIGTERM/SIGINT handlers (default true). */
  handleSignals?: boolean;
  /** Exit 1 on an uncaught exception (default true). */
  handleCrashes?: boolean;
  /** The children stopped on exit (default: those started with spawnChild). */
  children?: ChildRegistry;
  /**
   * Every other descendant, stopped in the same grace (default: the process's tree, which does nothing until
   * processTree.adopt() is called; the default worker adopts when no init system's cgroup holds its processes).
   */
  tree?: ProcessTree;
  /** How long owned children get between SIGTERM and SIGKILL (default 5 s). */
  childGraceMs?: number;
  /**
   * Accept connections from other users' processes too (default: --allow-other-users / INITSOCK_ALLOW_OTHER_USERS=1,
   * else false: on Linux each connection whose peer belongs to another user than this process's, root excepted, is closed unanswered).
   */
  allowOtherUsers?: boolean;
}

export type ResolvedServeOptions = ServeOptions & { settings: ServeSettings; name: string };

/** The caller's options over the flags and environment: what the code passes wins. */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  const env = options.env ?? process.env;
  const settings = readServeSettings(options.argv ?? process.argv.slice(2), env);
  const socketName = options.socketName ?? settings.socketName;
  return {
    ...options,
    settings,
    name: options.name ?? settings.name ?? DEFAULT_SERVICE_NAME,
    idleTimeoutMs: options.idleTimeoutMs ?? settings.idleTimeoutMs ?? 0,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? settings.shutdownTimeoutMs ?? DEFAULT_DRAIN_MS,
    ...(socketName !== undefined ? { socketName } : {}),
    allowOtherUsers: options.allowOtherUsers ?? allowsOtherUsers(options.argv ?? process.argv.slice(2), env),
  };
}

/** The guard to run: the caller's, none when opted out, else the port guard with the token of the token file. */
export function guardFor(options: ServeOptions, settings: ServeSettings, logger: Logger): RequestGuard | undefined {
  if (options.guard === false) return undefined;
  if (options.guard) return options.guard;
  const tokenFile = options.tokenFile ?? settings.tokenFile;
  const token = options.token !== undefined ? options.token : tokenFile ? readToken(tokenFile) : null;
  return portGuard(
    {
      token,
      allowedHosts: options.allowedHosts ?? settings.allowedHosts ?? [],
      allowedOrigins: options.allowedOrigins ?? settings.allowedOrigins ?? [],
    },
    logger,
  );
}
