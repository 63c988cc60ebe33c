// Parses `initsock request` arguments (flags, then the environment, then defaults) into request() options.
import { parseArgs } from 'node:util';
import { InitsockError } from '../errors.js';
import { parseDuration } from '../util/duration.js';
import { suggest } from '../util/suggest.js';
import { DEFAULT_NAME, DEFAULT_TIMEOUT_MS, type RequestOptions } from './options.js';

export interface RequestCommand {
  help: boolean;
  method: string;
  path: string;
  /** The body given with --data, or null to read stdin when it is not a terminal (undefined: no body, always for GET and HEAD without --data). */
  data: string | null | undefined;
  options: RequestOptions & { timeoutMs: number };
}

const FLAGS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  name: { type: 'string', short: 'n' },
  timeout: { type: 'string', short: 't' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
  'no-stdin': { type: 'boolean' },
  'no-fallback': { type: 'boolean' },
  app: { type: 'string' },
  'idle-timeout': { type: 'string' },
  worker: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Methods whose body never comes from stdin (only from --data). */
const NO_STDIN_BODY = new Set(['GET', 'HEAD']);

function usage(message: string): InitsockError {
  return new InitsockError('BAD_USAGE', `${message} Run \`initsock request --help\` for usage.`);
}

/** An unknown flag gets the closest known one ("--prot": did you mean --port?). */
function explainParseError(err: Error & { code?: string }): InitsockError {
  const flag = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  if (err.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || !flag.startsWith('--'))
    return usage(`${err.message.split('\n')[0]}.`);
  const word = flag.replace(/^-+/, '').split('=')[0] ?? '';
  return usage(`unknown option ${flag}.${suggest(word, Object.keys(FLAGS), '--')}`);
}

/** Parses argv (after "request"). Throws BAD_USAGE / INVALID_VALUE with the offending flag. */
export function parseRequestArgs(argv: string[], env: NodeJS.ProcessEnv): RequestCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    throw explainParseError(err as Error & { code?: string });
  }
  const v = parsed.values;
  if (v.help) return { help: true, method: '', path: '', data: undefined, options: { timeoutMs: DEFAULT_TIMEOUT_MS } };
  if (parsed.positionals.length !== 2)
    throw usage(`expected METHOD and PATH, got ${parsed.positionals.length} argument(s).`);
  const [method = '', path = ''] = parsed.positionals;
  const options: RequestCommand['options'] = {
    port: parsePort(v.port ?? env.INITSOCK_PORT),
    host: v.host ?? env.INITSOCK_HOST,
    name: v.name ?? env.INITSOCK_NAME ?? DEFAULT_NAME,
    timeoutMs: v.timeout === undefined ? DEFAULT_TIMEOUT_MS : positiveDuration(v.timeout),
    headers: parseHeaders(v.header ?? []),
    fallback: !v['no-fallback'],
    worker: { entry: v.worker ?? env.INITSOCK_WORKER, app: v.app, idleTimeout: v['idle-timeout'] },
    env,
  };
  const upper = method.toUpperCase();
  // A hook's stdin usually carries the event for a POST; a GET or HEAD never takes it as a body (as with curl).
  const data = v.data !== undefined ? v.data : v['no-stdin'] || NO_STDIN_BODY.has(upper) ? undefined : null;
  return { help: false, method: upper, path, data, options };
}

/** The port given, or undefined: then the installed service's port, else the default. */
function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535)
    throw usage(`--port ${JSON.stringify(raw)} is not a TCP port (1-65535).`);
  return Number(raw);
}

function positiveDuration(raw: string): number {
  const ms = parseDuration(raw, '--timeout');
  if (ms <= 0) throw usage('--timeout must be more than 0.');
  return ms;
}

/** "K: V" pairs into a header object; a later header with the same name replaces an earlier one. */
export function parseHeaders(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!m || /[\r\n\0]/.test(line)) throw usage(`--header ${JSON.stringify(line)} is not "Name: value".`);
    headers[(m[1] ?? '').toLowerCase()] = m[2] ?? '';
  }
  return headers;
}
