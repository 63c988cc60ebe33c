// The flags and INITSOCK_* variables install-service passes to every worker entry, read leniently for serve().
import { isLogLevel, LOG_LEVELS } from '../contract/index.js';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InitsockError } from '../errors.js';
import { parseDuration } from '../util/duration.js';
import { checkFlagName, parseFlagList } from './flag-values.js';

/** What serve() takes from the command line or the environment when its caller does not say. */
export interface ServeSettings {
  idleTimeoutMs?: number;
  shutdownTimeoutMs?: number;
  name?: string;
  tokenFile?: string;
  logLevel?: string;
  logFile?: string;
  socketName?: string;
  allowedHosts?: string[];
  allowedOrigins?: string[];
}

/** flag → environment variable; the same names the default worker reads (initsock-worker --help). */
const FLAGS = {
  'idle-timeout': 'INITSOCK_IDLE_TIMEOUT',
  'shutdown-timeout': 'INITSOCK_SHUTDOWN_TIMEOUT',
  name: 'INITSOCK_NAME',
  'token-file': 'INITSOCK_TOKEN_FILE',
  'log-level': 'INITSOCK_LOG_LEVEL',
  'log-file': 'INITSOCK_LOG_FILE',
  'socket-name': 'INITSOCK_SOCKET_NAME',
  'allow-host': 'INITSOCK_ALLOW_HOSTS',
  'allow-origin': 'INITSOCK_ALLOW_ORIGINS',
} as const;
type Flag = keyof typeof FLAGS;

function bad(message: string): InitsockError {
  return new InitsockError('INVALID_VALUE', message);
}

/** Only our flags are read; the program's own flags and positionals are left alone (strict: false). */
function readFlags(argv: readonly string[]): Partial<Record<Flag, string>> {
  const options = Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }]));
  const { values } = parseArgs({ args: [...argv], strict: false, allowPositionals: true, options });
  const out: Partial<Record<Flag, string>> = {};
  for (const key of Object.keys(FLAGS) as Flag[]) {
    const v = values[key];
    if (v === true) throw bad(`--${key} needs a value (--${key} VALUE or --${key}=VALUE).`);
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

/**
 * Reads the settings from `argv` (flags win) and `env`. Throws INVALID_VALUE for a value that is there but wrong,
 * so a worker installed with a typo fails at start-up instead of running with a default.
 */
export function readServeSettings(argv: readonly string[], env: NodeJS.ProcessEnv): ServeSettings {
  const flags = readFlags(argv);
  const get = (key: Flag): string | undefined => flags[key] ?? (env[FLAGS[key]] || undefined);
  const out: ServeSettings = {};
  const idle = get('idle-timeout');
  if (idle !== undefined) out.idleTimeoutMs = parseDuration(idle, '--idle-timeout');
  const shutdown = get('shutdown-timeout');
  if (shutdown !== undefined) out.shutdownTimeoutMs = parseDuration(shutdown, '--shutdown-timeout');
  const n = get('name');
  if (n !== undefined) out.name = checkFlagName('--name', n);
  const socket = get('socket-name');
  if (socket !== undefined) out.socketName = checkFlagName('--socket-name', socket);
  const tokenFile = get('token-file');
  if (tokenFile !== undefined && tokenFile.trim() !== '') out.tokenFile = tokenFile;
  const level = get('log-level');
  if (level !== undefined && !isLogLevel(level)) {
    throw bad(`--log-level ${JSON.stringify(level)} is not a level. Use one of ${LOG_LEVELS.join(', ')}.`);
  }
  if (level !== undefined) out.logLevel = level;
  const logFile = get('log-file');
  if (logFile !== undefined && logFile.trim() !== '') out.logFile = resolve(logFile);
  const hosts = get('allow-host');
  if (hosts !== undefined) out.allowedHosts = parseFlagList('--allow-host', hosts);
  const origins = get('allow-origin');
  if (origins !== undefined) out.allowedOrigins = parseFlagList('--allow-origin', origins);
  return out;
}
