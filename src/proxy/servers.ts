// The proxy's listening side: a net.Server per inherited socket feeding one HTTP server, and how they are described in logs.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, TIMEOUT_CHECK_INTERVAL_MS } from '../runtime/http-limits.js';
import type { ConnectionTracker } from '../runtime/tracker.js';
import type { Activation } from '../activation/types.js';
import type { ProxyOptions } from '../contract/proxy.js';
import { listenOnAddress, listenOnFd } from '../runtime/listen.js';

/** What a proxy server hands its connections, requests and upgrades to. */
export interface ProxyHandlers {
  tracker: ConnectionTracker;
  /** False when the connection was refused (and destroyed). */
  onConnection: (socket: Socket) => boolean;
  onRequest: (req: IncomingMessage, res: ServerResponse) => void;
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * The HTTP server every connection is handed to, with serve()'s bounds for slow clients. It does not listen itself:
 * bun's http.Server ignores an inherited fd (it would bind a random port), while its net.Server takes it, so each
 * socket is a net.Server whose connections are passed in through the documented 'connection' event. Node starts
 * the header and request deadline checks on 'listening', which is therefore emitted here. The tracker sees each
 * request before the handler; a request's body is not read until it is forwarded.
 */
export function proxyHttpServer(h: Omit<ProxyHandlers, 'onConnection'>): HttpServer {
  const server = createServer({
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  });
  h.tracker.attach(server);
  server.on('request', h.onRequest).on('upgrade', h.onUpgrade).emit('listening');
  return server;
}

/** A listener for one socket: the accept-time check first (a refused connection is never read), then the HTTP server. */
export function proxyListener(http: HttpServer, onConnection: (socket: Socket) => boolean): Server {
  return new Server({ allowHalfOpen: true }, (socket) => {
    if (onConnection(socket)) http.emit('connection', socket);
  });
}

/** One listener per inherited socket (or the --listen address). */
export async function listenAll(activation: Activation, make: () => Server): Promise<Server[]> {
  const servers: Server[] = [];
  try {
    if (activation.kind === 'listen') {
      servers.push(make());
      await listenOnAddress(servers[0] as HttpServer, activation.host, activation.port);
    } else {
      for (const socket of activation.sockets) {
        servers.push(make());
        await listenOnFd(servers.at(-1)!, socket.fd, socket.name);
      }
    }
  } catch (err) {
    for (const s of servers) if (s.listening) s.close();
    throw err;
  }
  return servers;
}

/** "200-299,304": the healthy statuses as the flag writes them. */
export function formatStatuses(proxy: ProxyOptions): string {
  return proxy.healthStatus.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(',');
}

/** "fd 3 \"name\" 127.0.0.1:37777, ..." for the start-up line. */
export function describe(activation: Activation, servers: Server[]): string {
  const where = servers.map((s) => {
    const a = s.address();
    return a && typeof a === 'object' ? `${a.address}:${a.port}` : String(a);
  });
  return activation.kind === 'listen'
    ? where.join(', ')
    : activation.sockets.map((s, i) => `fd ${s.fd} "${s.name}" ${where[i] ?? ''}`.trim()).join(', ');
}
