// Test helpers: a node:http server behind the request guard, and raw-socket HTTP requests with any bytes we like.
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { once } from 'node:events';
import { createRequestGuard, type RequestGuardOptions } from '../../src/security/request-guard.js';

export interface RawResponse {
  /** Everything the server sent, as latin1 text. */
  text: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses a whole HTTP/1.x response (no chunked bodies: our servers send content-length or close). */
export function parseResponse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { text, status, headers, body: split === -1 ? '' : text.slice(split + 4) };
}

/** Sends `payload` on a fresh connection, half-closes, and resolves with what came back once the server closes. */
export async function rawRequest(port: number, payload: string | Buffer, host = '127.0.0.1'): Promise<RawResponse> {
  const socket = connect(port, host);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  // A server that answers early (431, 400) and closes may reset the connection; keep what arrived, then 'close' follows.
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.end(payload);
  await once(socket, 'close');
  return parseResponse(Buffer.concat(chunks).toString('latin1'));
}

/** A GET request with the given raw header lines (each "Name: value"), asking the server to close afterwards. */
export function httpRequest(lines: string[], target = '/', method = 'GET', version = '1.1'): string {
  return [`${method} ${target} HTTP/${version}`, ...lines, 'Connection: close', '', ''].join('\r\n');
}

export interface GuardedServer {
  server: Server;
  port: number;
  /** Requests that reached the app (method and url). */
  seen: string[];
  /** Lines the guard logged. */
  logs: string[];
  close(): Promise<void>;
}

/** Starts a loopback server whose app answers 200 "app:<url>" behind a guard built from `options(port)`. */
export async function startGuarded(
  options: (port: number) => Omit<RequestGuardOptions, 'port' | 'logger'> = () => ({}),
): Promise<GuardedServer> {
  const seen: string[] = [];
  const logs: string[] = [];
  let guard: ((...args: Parameters<ReturnType<typeof createRequestGuard>>) => boolean) | null = null;
  const server = createServer((req, res) => {
    if (!guard?.(req, res)) return;
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    res.end(`app:${req.url}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  guard = createRequestGuard({
    ...options(port),
    port,
    logger: {
      warn: (m: string) => {
        logs.push(m);
      },
    },
  });
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  };
  return { server, port, seen, logs, close };
}
