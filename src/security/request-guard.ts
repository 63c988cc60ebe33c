// The request guard the runtime runs before the app: Host (DNS rebinding), Origin (CSRF), then the bearer token.
import { isHealthRequest } from '../contract/index.js';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { InitsockError } from '../errors.js';
import { bearerChecker, wwwAuthenticate } from './bearer.js';
import { acceptedHosts, checkHost, checkTarget, PASS } from './host-header.js';
import { limitLogger, type LogLimit } from './log-limit.js';
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
  /** How many refusal lines to log (default 60 a minute; the rest are counted). */
  logLimit?: LogLimit;
}

/** Returns true when the request may go on to the app; otherwise it has already answered (400/401/403). */
export type RequestGuard = (req: IncomingMessage, res: ServerResponse) => boolean;

const stderrLogger: GuardLogger = {
  warn: (message, meta) => {
    process.stderr.write(`${message}${meta ? ` ${JSON.stringify(meta)}` : ''}\n`);
  },
};

/** Every value of header `name` (lowercase), from the raw lines: node folds or drops repeats in req.headers. */
export function headerValues(req: IncomingMessage, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === name) out.push(req.rawHeaders[i + 1] ?? '');
  }
  return out;
}

/** GET or HEAD of the health route (any query string): the one route open without the token, so probes need no secret. */
const isHealth = (req: IncomingMessage): boolean => isHealthRequest(req.method, req.url);

/** Client-controlled text, cut short for a log line. */
function clip(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.slice(0, 200);
}

const errorName = (status: number): string =>
  status === 401 ? 'unauthorized' : status === 400 ? 'bad_request' : 'forbidden';

function answer(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: errorName(status), message });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
    ...extra,
  });
  res.end(body);
}

/** A refusal: the status, a short reason, and extra response headers (WWW-Authenticate for a 401). */
export interface Refusal {
  ok: false;
  status: number;
  reason: string;
  headers?: Record<string, string>;
}

/** Decides about a request without answering it: for WebSocket upgrade handlers, which have a socket, not a response. */
export type RequestCheck = (req: IncomingMessage) => { ok: true } | Refusal;

/** Builds the check: Host, then the request target, then Origin/Sec-Fetch-Site, then the token. Throws INVALID_VALUE for a bad port. */
export function createRequestCheck(options: Omit<RequestGuardOptions, 'logger' | 'logLimit'>): RequestCheck {
  const { port } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InitsockError(
      'INVALID_VALUE',
      `request guard: port ${String(port)} is not a TCP port. Pass the port the worker serves (1-65535).`,
    );
  }
  const hosts = acceptedHosts(port, options.allowedHosts);
  const origins = acceptedOrigins(port, options.allowedOrigins);
  const bearer = options.token ? bearerChecker(options.token) : null;
  return (req) => {
    const host = checkHost(headerValues(req, 'host'), hosts);
    if (!host.ok) return host;
    const target = checkTarget(req.url ?? '', hosts);
    if (!target.ok) return target;
    const origin = checkOrigin(headerValues(req, 'origin'), headerValues(req, 'sec-fetch-site'), origins);
    if (!origin.ok) return origin;
    if (!bearer || isHealth(req)) return PASS;
    const auth = bearer(headerValues(req, 'authorization'));
    if (auth === 'ok') return PASS;
    const reason =
      auth === 'missing'
        ? 'this worker needs "Authorization: Bearer <token>"; the token is in the file given to the worker by --token-file'
        : 'the bearer token is wrong or malformed';
    return { ok: false, status: 401, reason, headers: { 'www-authenticate': wwwAuthenticate(auth) } };
  };
}

function logRefusal(logger: GuardLogger, req: IncomingMessage, refusal: Refusal): void {
  logger.warn(
    `initsock guard: refused ${req.method ?? '?'} ${JSON.stringify(clip(req.url) ?? '')} with ${refusal.status}: ${refusal.reason}`,
    {
      status: refusal.status,
      host: clip(headerValues(req, 'host').join(', ')),
      origin: clip(headerValues(req, 'origin')[0]),
      remote: req.socket.remoteAddress,
    },
  );
}

/** Builds the guard: the check, then a logged 400/401/403 answer on refusal. Throws INVALID_VALUE for a bad port. */
export function createRequestGuard(options: RequestGuardOptions): RequestGuard {
  const check = createRequestCheck(options);
  const logger = limitLogger(options.logger ?? stderrLogger, options.logLimit);
  return (req, res) => {
    const verdict = check(req);
    if (verdict.ok) return true;
    logRefusal(logger, req, verdict);
    answer(res, verdict.status, verdict.reason, verdict.headers);
    return false;
  };
}

/**
 * The guard for `server.on('upgrade', (req, socket) => ...)`: node does not run 'request' listeners (so not the
 * guard) for upgrades, and browsers open WebSockets cross-site. On refusal it writes the answer and closes the socket.
 */
export function createUpgradeGuard(options: RequestGuardOptions): (req: IncomingMessage, socket: Duplex) => boolean {
  const check = createRequestCheck(options);
  const logger = limitLogger(options.logger ?? stderrLogger, options.logLimit);
  return (req, socket) => {
    const verdict = check(req);
    if (verdict.ok) return true;
    logRefusal(logger, req, verdict);
    const body = JSON.stringify({ error: errorName(verdict.status), message: verdict.reason });
    const extra = Object.entries(verdict.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.end(
      `HTTP/1.1 ${verdict.status} ${STATUS_CODES[verdict.status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${extra}\r\n${body}`,
    );
    return false;
  };
}
