// The request listener serve() installs: guard, app, GET /health when the app has none, short JSON for 404 and errors, a log line per request.
import { isHealthRequest } from '../contract/index.js';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { sendJson } from '../worker/health.js';
import { levelEnabled, type Logger } from './logger.js';

/** Runs before the app; when it returns false it has answered the request itself and the app is skipped. */
export type RequestGuard = (req: IncomingMessage, res: ServerResponse) => boolean;
/** Called by an app for a request it does not answer (no argument) or that failed (the error). */
export type Next = (err?: unknown) => void;
/**
 * An app: a plain (req, res) handler, or one taking a third `next` argument, as an Express app or router does: it
 * calls next() for routes it does not have and next(err) when a route fails.
 */
export type App = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

export interface HandlerOptions {
  guard?: RequestGuard;
  /** Answers GET/HEAD /health when the app does not; without it the app answers /health itself (or it is a 404). */
  health?: (req: IncomingMessage, res: ServerResponse) => void;
  logger: Logger;
}

export function isHealth(req: IncomingMessage): boolean {
  return isHealthRequest(req.method, req.url);
}

/** Method and path (no query: it may hold secrets), cut short, for log lines and answers. */
function what(req: IncomingMessage): string {
  return `${req.method ?? '?'} ${JSON.stringify(((req.url ?? '').split('?')[0] ?? '').slice(0, 200))}`;
}

/** err.status / err.statusCode when it is an HTTP error status (body parsers set it), else 500. */
function statusOf(err: unknown): number {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const s = Number(e?.status ?? e?.statusCode);
  return Number.isInteger(s) && s >= 400 && s <= 599 ? s : 500;
}

/** A failed route: logged (with its stack, at error for 5xx), answered with a short JSON body that never carries the stack. */
export function answerError(req: IncomingMessage, res: ServerResponse, err: unknown, logger: Logger): void {
  const status = statusOf(err);
  const e = err as { message?: unknown; stack?: unknown; expose?: unknown } | null;
  if (status >= 500) logger.error(`${what(req)} failed: ${String(e?.stack ?? e?.message ?? err)}`);
  else logger.warn(`${what(req)} answered ${status}: ${String(e?.message ?? err)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message =
    status >= 500
      ? `the worker failed to answer ${what(req)}; its log has the details`
      : e?.expose === true
        ? String(e.message).slice(0, 200)
        : (STATUS_CODES[status] ?? 'error');
  sendJson(res, status, { error: status >= 500 ? 'internal_error' : 'bad_request', message });
}

function notFound(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, 404, { error: 'not_found', message: `no route ${what(req)}` });
}

/** Calls `app` with `next` (a plain handler ignores it) and turns what it throws into next(err). */
export function callApp(app: App, req: IncomingMessage, res: ServerResponse, next: Next): void {
  try {
    app(req, res, next);
  } catch (err) {
    next(err);
  }
}

/** One line per finished (or abandoned) request at the "http" level, skipped cheaply when that level is off. */
function logRequest(req: IncomingMessage, res: ServerResponse, logger: Logger): void {
  if (!levelEnabled(logger, 'http')) return;
  const started = performance.now();
  res.once('close', () => {
    const ms = (performance.now() - started).toFixed(1);
    logger.log(
      'http',
      `${what(req)} ${res.statusCode} ${ms} ms${res.writableFinished ? '' : ' (closed before the answer was sent)'}`,
    );
  });
}

/** The listener: log line, guard, then the app, with /health, 404 and errors answered as described above. */
export function requestHandler(app: App, options: HandlerOptions) {
  const { guard, health, logger } = options;
  const plain = app.length < 3;
  return (req: IncomingMessage, res: ServerResponse): void => {
    logRequest(req, res, logger);
    if (guard && !guard(req, res)) return;
    // A plain handler cannot say it has no /health, so serve() answers it first; an Express app gets it via next().
    if (health && plain && isHealth(req)) {
      health(req, res);
      return;
    }
    callApp(app, req, res, (err) => {
      if (err !== undefined && err !== null && err !== 'route' && err !== 'router') answerError(req, res, err, logger);
      else if (health && isHealth(req)) health(req, res);
      else notFound(req, res);
    });
  };
}
