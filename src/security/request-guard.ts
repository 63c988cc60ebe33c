// The request guard the runtime runs before the app: Host (DNS rebinding), Origin (CSRF), then the bearer token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InitsockError } from '../errors.js';
import { bearerChecker, wwwAuthenticate } from './bearer.js';
import { acceptedHosts, checkHost, checkTarget, type Verdict } from './host-header.js';
import { acceptedOrigins, checkOrigin } from './origin.js';

/** The one logger method the guard uses; a winston logger fits. */
export interface GuardLogger {
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface RequestGuardOptions {
  /** The port the worker serves; Host and Origin must name it. */
  port: number;
  /** Extra Host names ("myhost.lan", or "myhost.lan:8080" with its own port); IPv6 may be bare or in brackets. */
  allowedHosts?: readonly string[];
  /** Extra origins, e.g. "http://localhost:5173" for a dev frontend. Exact match, case-insensitive. */
  allowedOrigins?: readonly string[];
  /** When set, every request but GET/HEAD /health needs "Authorization: Bearer <token>". */
  token?: string | null;
  /** Where to log rejections (default: a line on stderr). */
  logger?: GuardLogger;
}

/** Returns true when the request may go on to the app; otherwise it has already answered (400/401/403). */
export type RequestGuard = (req: IncomingMessage, res: ServerResponse) => boolean;

const stderrLogger: GuardLogger = {
  warn: (message, meta) => { process.stderr.write(`${message}${meta ? ` ${JSON.stringify(meta)}` : ''}\n`); },
};

/** Every value of header `name` (lowercase), from the raw lines: node folds or drops repeats in req.headers. */
export function headerValues(req: IncomingMessage, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === name) out.push(req.rawHeaders[i + 1] ?? '');
  }
  return out;
}

/** GET or HEAD of /health (any query string): the one route open without the token, so probes need no secret. */
function isHealth(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && (req.url ?? '').split('?')[0] === '/health';
}

/** Client-controlled text, cut short for a log line. */
function clip(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.slice(0, 200);
}

function answer(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: status === 401 ? 'unauthorized' : status === 400 ? 'bad_request' : 'forbidden', message });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
    ...extra,
  });
  res.end(body);
}

/** Builds the guard. Throws INVALID_VALUE for a port outside 1..65535. */
export function createRequestGuard(options: RequestGuardOptions): RequestGuard {
  const { port, logger = stderrLogger } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InitsockError('INVALID_VALUE', `request guard: port ${String(port)} is not a TCP port. Pass the port the worker serves (1-65535).`);
  }
  const hosts = acceptedHosts(port, options.allowedHosts);
  const origins = acceptedOrigins(port, options.allowedOrigins);
  const bearer = options.token ? bearerChecker(options.token) : null;

  const refuse = (req: IncomingMessage, res: ServerResponse, verdict: Exclude<Verdict, { ok: true }>, extra?: Record<string, string>): false => {
    logger.warn(`initsock guard: refused ${req.method ?? '?'} ${JSON.stringify(clip(req.url) ?? '')} with ${verdict.status}: ${verdict.reason}`, {
      status: verdict.status, host: clip(headerValues(req, 'host').join(', ')), origin: clip(headerValues(req, 'origin')[0]),
      remote: req.socket.remoteAddress,
    });
    answer(res, verdict.status, verdict.reason, extra);
    return false;
  };

  return (req, res) => {
    const host = checkHost(headerValues(req, 'host'), hosts);
    if (!host.ok) return refuse(req, res, host);
    const target = checkTarget(req.url ?? '', hosts);
    if (!target.ok) return refuse(req, res, target);
    const origin = checkOrigin(headerValues(req, 'origin'), headerValues(req, 'sec-fetch-site'), origins);
    if (!origin.ok) return refuse(req, res, origin);
    if (!bearer || isHealth(req)) return true;
    const auth = bearer(headerValues(req, 'authorization'));
    if (auth === 'ok') return true;
    const reason = auth === 'missing'
      ? 'this worker needs "Authorization: Bearer <token>"; the token is in the file given to the worker by --token-file'
      : 'the bearer token is wrong or malformed';
    return refuse(req, res, { ok: false, status: 401, reason }, { 'www-authenticate': wwwAuthenticate(auth) });
  };
}
