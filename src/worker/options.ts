// The default worker's settings: each from a flag, else an INITSOCK_* variable, else its default; all validated up front.
import {
  DEFAULT_DRAIN_MS,
  DEFAULT_LOG_LEVEL,
  DEFAULT_SERVICE_NAME,
  isLogLevel,
  LAUNCHD_SOCKET_KEY,
  LOG_LEVELS,
} from '../contract/index.js';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { InitsockError } from '../errors.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { EXPOSE_FLAG, validateListenHost } from '../security/host.js';
import {
  ALLOW_OTHER_USERS_FLAG,
  ALLOW_WEB_PAGES_ENV,
  ALLOW_WEB_PAGES_FLAG,
  allowsOtherUsers,
} from '../contract/peer.js';
import { PROXY_OPTION_ENV, parseProxyOptions, type ProxyOptions } from '../contract/proxy.js';
import { checkFlagName, parseFlagList } from '../runtime/flag-values.js';

export interface WorkerOptions {
  listen?: { host: string; port: number };
  idleTimeoutMs: number;
  shutdownTimeoutMs: number;
  app?: string;
  name: string;
  socketName: string;
  logFile?: string;
  logLevel: string;
  tokenFile?: string;
  /** Extra Host names and Origins the request guard accepts (--allow-host, --allow-origin). */
  allowHosts: string[];
  allowOrigins: string[];
  /** Run `CMD ARG...` as a child on a private port and stream connections to it (--proxy-port N -- CMD ARG...). */
  proxy?: ProxyOptions;
  /** Accept connections from other users' processes (--allow-other-users); by default they are refused at accept time. */
  allowOtherUsers: boolean;
  /** Proxy mode only: pass requests whatever their Host and Origin (--allow-web-pages); by default foreign ones get 400/403. */
  allowWebPages: boolean;
  /** Extra warning to log (a non-loopback --listen allowed by --expose-to-network). */
  warning?: string;
  help: boolean;
  version: boolean;
}

/** flag name → environment variable. */
export const OPTION_ENV = {
  listen: 'INITSOCK_LISTEN',
  'idle-timeout': 'INITSOCK_IDLE_TIMEOUT',
  'shutdown-timeout': 'INITSOCK_SHUTDOWN_TIMEOUT',
  app: 'INITSOCK_APP',
  name: 'INITSOCK_NAME',
  'socket-name': 'INITSOCK_SOCKET_NAME',
  'log-file': 'INITSOCK_LOG_FILE',
  'log-level': 'INITSOCK_LOG_LEVEL',
  'token-file': 'INITSOCK_TOKEN_FILE',
  'allow-host': 'INITSOCK_ALLOW_HOSTS',
  'allow-origin': 'INITSOCK_ALLOW_ORIGINS',
  ...PROXY_OPTION_ENV,
} as const;
type Key = keyof typeof OPTION_ENV;

function bad(message: string): InitsockError {
  return new InitsockError('INVALID_VALUE', message);
}

/** "HOST:PORT" or "[v6]:PORT" → host and port (0 = any free port). */
export function parseListen(
  value: string,
  allowNonLoopback: boolean,
): { host: string; port: number; warning?: string } {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) {
    throw bad(`--listen ${JSON.stringify(value)} is not HOST:PORT. Use e.g. 127.0.0.1:37777 or [::1]:37777.`);
  }
  const check = validateListenHost(m[1]!, { allowNonLoopback, what: '--listen' });
  return { host: check.host, port, ...(check.warning ? { warning: check.warning } : {}) };
}

function nonEmpty(what: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw bad(`${what} is empty. Give a path, or leave the option out.`);
  return value;
}

/** Reads the raw flags (BAD_USAGE for unknown flags or missing values). */
function readFlags(argv: string[]): { values: Record<string, string | boolean | undefined> } {
  const options = Object.fromEntries(Object.keys(OPTION_ENV).map((k) => [k, { type: 'string' as const }]));
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...options,
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        'expose-to-network': { type: 'boolean' },
        [ALLOW_OTHER_USERS_FLAG.slice(2)]: { type: 'boolean' },
        [ALLOW_WEB_PAGES_FLAG.slice(2)]: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new InitsockError(
      'BAD_USAGE',
      `initsock-worker: ${(err as Error).message}. Run initsock-worker --help for the options.`,
      { cause: err },
    );
  }
}

/** The worker's own flags, and the proxied command: everything after the first "--". */
function splitCommand(argv: string[]): { flags: string[]; command: string[] } {
  const at = argv.indexOf('--');
  return at < 0 ? { flags: argv, command: [] } : { flags: argv.slice(0, at), command: argv.slice(at + 1) };
}

/**
 * Options that have no meaning in proxy mode: the program answers the requests, so there is no app to run, and its own
 * clients cannot send initsock's token (other users are refused at accept time, web pages by the Host/Origin check).
 */
function refuseWithProxy(get: (key: Key) => string | undefined): void {
  for (const key of ['app', 'token-file'] as const) {
    if (get(key) !== undefined) {
      throw new InitsockError(
        'BAD_USAGE',
        `--${key} cannot be combined with --proxy-port: the program behind the proxy answers ` +
          'every request, so there is no app to run, and its clients cannot send a token. Leave --' +
          key +
          ' out (other users ' +
          'are refused at accept time, web pages by the Host/Origin check).',
      );
    }
  }
}

/** Parses and validates the worker's settings. Throws BAD_USAGE or INVALID_VALUE (the worker exits 78). */
export function parseWorkerOptions(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): WorkerOptions {
  const { flags, command } = splitCommand(argv);
  const { values } = readFlags(flags);
  const get = (key: Key): string | undefined =>
    (values[key] as string | undefined) ?? (env[OPTION_ENV[key]] || undefined);
  const proxy = parseProxyOptions(get, command);
  if (proxy) refuseWithProxy(get);
  const allowWebPages = values[ALLOW_WEB_PAGES_FLAG.slice(2)] === true || env[ALLOW_WEB_PAGES_ENV] === '1';
  if (allowWebPages && !proxy) {
    throw new InitsockError(
      'BAD_USAGE',
      `${ALLOW_WEB_PAGES_FLAG} applies to --proxy-port only. The default worker's routes stay behind its ` +
        'Host/Origin check; to accept another name or origin, pass --allow-host or --allow-origin.',
    );
  }
  const listenRaw = get('listen');
  const listen = listenRaw === undefined ? undefined : parseListen(listenRaw, values[EXPOSE_FLAG.slice(2)] === true);
  const logLevel = get('log-level') ?? DEFAULT_LOG_LEVEL;
  if (!isLogLevel(logLevel))
    throw bad(`--log-level ${JSON.stringify(logLevel)} is not a level. Use one of ${LOG_LEVELS.join(', ')}.`);
  const app = nonEmpty('--app', get('app'));
  const logFile = nonEmpty('--log-file', get('log-file'));
  const tokenFile = nonEmpty('--token-file', get('token-file'));
  return {
    ...(listen ? { listen: { host: listen.host, port: listen.port } } : {}),
    ...(listen?.warning ? { warning: listen.warning } : {}),
    ...(proxy ? { proxy } : {}),
    idleTimeoutMs: parseDuration(get('idle-timeout') ?? '0', '--idle-timeout'),
    shutdownTimeoutMs: parseDuration(get('shutdown-timeout') ?? formatDuration(DEFAULT_DRAIN_MS), '--shutdown-timeout'),
    ...(app ? { app: resolve(cwd, app) } : {}),
    ...(logFile ? { logFile: resolve(cwd, logFile) } : {}),
    ...(tokenFile ? { tokenFile: resolve(cwd, tokenFile) } : {}),
    allowHosts: parseFlagList('--allow-host', get('allow-host')),
    allowOrigins: parseFlagList('--allow-origin', get('allow-origin')),
    name: checkFlagName('--name', get('name') ?? DEFAULT_SERVICE_NAME),
    socketName: checkFlagName('--socket-name', get('socket-name') ?? LAUNCHD_SOCKET_KEY),
    logLevel,
    allowOtherUsers: values[ALLOW_OTHER_USERS_FLAG.slice(2)] === true || allowsOtherUsers([], env),
    allowWebPages,
    help: values.help === true,
    version: values.version === true,
  };
}
