// One proxied request: forwarded to the child with its method, target and headers, bodies streamed both ways unbuffered.
import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { PROXY_UPSTREAM_HOST } from '../contract/proxy.js';
import { pipeToUpstream } from './pipe.js';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, not to the request: each side of the proxy sets
 * its own. Expect is answered by the worker's server already (100 Continue), so the child does not answer it again.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** The raw header lines without the hop-by-hop ones (and without those the Connection header names), repeats kept. */
export function endToEnd(raw: readonly string[]): string[] {
  const named = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection')
      for (const n of raw[i + 1]!.split(',')) named.add(n.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(name) && !named.has(name)) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** Keep-alive connections to the child, so a request does not pay for a new TCP connection. */
export const upstreamAgent = new Agent({ keepAlive: true });

/**
 * Forwards `req` to 127.0.0.1:`port` as is (Host included, so the child sees the name the client used) and streams the
 * answer back. Headers are sent at once (an SSE stream starts before its first event) and each chunk is written as it
 * arrives. No answer from the child: 502; a failure after the headers went out: the client's connection is destroyed.
 */
export function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  onError: (err: Error) => void,
): void {
  const upstream = request(
    {
      host: PROXY_UPSTREAM_HOST,
      port,
      method: req.method,
      path: req.url,
      agent: upstreamAgent,
      headers: endToEnd(req.rawHeaders),
      setHost: false,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
      res.flushHeaders();
      answer.pipe(res);
      answer.once('error', (err) => {
        onError(err);
        res.destroy();
      });
    },
  );
  upstream.once('error', (err) => {
    onError(err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({
      error: 'bad_gateway',
      message: `the program behind this worker did not answer (${err.message})`,
    });
    res
      .writeHead(502, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      })
      .end(body);
  });
  // The client went away before the answer ended: stop the child's side too (an SSE stream would otherwise run on).
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** The request head as it came: request line and every header line, for a connection that is then piped as bytes. */
function requestHead(req: IncomingMessage): string {
  let head = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) head += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
  return `${head}\r\n`;
}

/**
 * Forwards an upgrade (WebSocket): writes the request head and the bytes already read after it (`head`) to the child,
 * then pipes both sockets, so the child's 101 and every frame after it pass unchanged.
 */
export function forwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  port: number,
  onError: (err: Error) => void,
): void {
  pipeToUpstream(socket as Socket, port, onError, Buffer.concat([Buffer.from(requestHead(req), 'latin1'), head]));
}
