// One HTTP exchange with the worker over a fresh loopback connection (node:http, no agent, no keep-alive).
import { request as httpRequest, type ClientRequestArgs, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { InitsockError, isInitsockError } from '../errors.js';
import { verifyPeerOnConnect } from '../security/peer-owner.js';

export interface Exchange {
  method: string;
  path: string;
  /** A loopback IP literal (127.0.0.1, ::1). */
  host: string;
  port: number;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Abort the exchange when this fires (the caller's total deadline). */
  signal: AbortSignal;
}

export interface RawResponse {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Why an exchange failed, and whether any byte of a response had arrived (then it is never retried). */
export class ExchangeError extends Error {
  constructor(
    readonly errno: string,
    readonly responseStarted: boolean,
    readonly original: Error,
  ) {
    super(original.message);
  }
}

/**
 * A fresh connection per request, with no agent (so no keep-alive pool). Before a byte is written it checks who
 * owns the listener (security/peer-owner.ts): a port squatted by another user never sees the request or the token.
 */
function createConnection(opts: ClientRequestArgs): ReturnType<typeof connect> {
  const socket = connect(Number(opts.port), String(opts.host));
  verifyPeerOnConnect(socket);
  return socket;
}

/** Sends one request and buffers the whole response. Rejects with ExchangeError (or BAD_USAGE for an invalid header). */
export function exchange(x: Exchange): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = { ...x.headers, connection: 'close', 'content-length': String(x.body?.byteLength ?? 0) };
    let req: ReturnType<typeof httpRequest>;
    try {
      // The Host header: what the worker's Host check accepts ("[::1]:PORT" for IPv6).
      const host = x.host.includes(':') ? `[${x.host}]` : x.host;
      req = httpRequest({
        host: x.host,
        port: x.port,
        headers: { host: `${host}:${x.port}`, ...headers },
        method: x.method,
        path: x.path,
        signal: x.signal,
        createConnection,
      });
    } catch (err) {
      // node:http validates the method, path and header names and values synchronously.
      reject(
        new InitsockError(
          'BAD_USAGE',
          `cannot send ${x.method} ${x.path}: ${(err as Error).message}. Fix the request.`,
          { cause: err },
        ),
      );
      return;
    }
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (isInitsockError(err)) return reject(err); // UNTRUSTED_LISTENER: not a failure to retry
      const started = (req.socket?.bytesRead ?? 0) > 0;
      reject(new ExchangeError(err.name === 'AbortError' ? 'ABORTED' : (err.code ?? 'EUNKNOWN'), started, err));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err: NodeJS.ErrnoException) => reject(new ExchangeError(err.code ?? 'EUNKNOWN', true, err)));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage ?? '',
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.end(x.body === undefined ? undefined : Buffer.from(x.body));
  });
}
