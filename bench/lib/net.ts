// Loopback networking for the bench: free ports, timed HTTP requests, waiting for a port to answer.
import { request } from 'node:http';
import { createServer } from 'node:net';

/** A free loopback port, found by binding port 0 and closing. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when 127.0.0.1:`port` can be bound right now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A free loopback port below Linux's ephemeral range (32768+). A client that keeps connecting to a port in that
 * range while nothing listens can be given that very port as its own source port and connect to itself (TCP
 * simultaneous open); the port is then taken and the worker cannot bind it. Hooks that poll need ports outside it.
 */
export async function freeLowPort(): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await bindable(port)) return port;
  }
  throw new Error('no free loopback port between 20000 and 32000');
}

/** One HTTP answer: status, body, and the time from starting to connect until the last byte (ms). */
export interface TimedResponse {
  status: number;
  body: string;
  ms: number;
}

/** GET `path` from 127.0.0.1:`port` on a fresh connection (no keep-alive), timing it from the connect call. */
export function timedGet(port: number, path = '/health', timeoutMs = 30_000): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} on port ${port} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** The `pid` field of a /health JSON body, or null when the body is not that. */
export function pidOf(body: string): number | null {
  try {
    const pid = (JSON.parse(body) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : null;
  } catch {
    return null;
  }
}

/** Polls GET /health every `everyMs` until it answers 200 or `timeoutMs` passes; resolves with the answer. */
export async function waitForHealth(port: number, timeoutMs = 15_000, everyMs = 20): Promise<TimedResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await timedGet(port, '/health', 2000);
      if (res.status === 200) return res;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`port ${port} did not answer /health within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
