// The child's side of the proxy: one GET of a route on the private port, and waiting until its health route answers.
import { request } from 'node:http';
import { PROXY_UPSTREAM_HOST, statusMatches } from '../contract/proxy.js';

/** One GET of `path` on 127.0.0.1:`port`; the status, or null when nothing answered within `timeoutMs`. */
export function probeStatus(port: number, path: string, timeoutMs = 2000): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(
      { host: PROXY_UPSTREAM_HOST, port, path, method: 'GET', agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? null);
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(null));
    req.end();
  });
}

export interface WaitHealthyOptions {
  port: number;
  path: string;
  statuses: Array<[number, number]>;
  /** Give up after this long; 0 = no limit. */
  timeoutMs: number;
  /** Stop waiting (the child died, the worker is stopping): the promise then resolves with 'stopped'. */
  stopped: () => boolean;
}

/** Delay before the n-th retry: quick at first (a child that starts fast is passed through at once), then 250 ms. */
const retryDelay = (n: number): number => Math.min(250, 10 * 2 ** n);

/**
 * Polls the health route until it answers with a healthy status ('ready'), the deadline passes ('timeout'; the
 * last status seen, if any, is in `last`), or `stopped()` turns true ('stopped'). Each try is bounded by the time left.
 */
export async function waitHealthy(
  options: WaitHealthyOptions,
): Promise<{ outcome: 'ready' | 'timeout' | 'stopped'; last: number | null }> {
  const deadline = options.timeoutMs > 0 ? Date.now() + options.timeoutMs : Infinity;
  let last: number | null = null;
  for (let n = 0; ; n += 1) {
    if (options.stopped()) return { outcome: 'stopped', last };
    const left = deadline - Date.now();
    if (left <= 0) return { outcome: 'timeout', last };
    last = (await probeStatus(options.port, options.path, Math.min(2000, left))) ?? last;
    if (last !== null && statusMatches(last, options.statuses) && !options.stopped()) return { outcome: 'ready', last };
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryDelay(n), Math.max(0, deadline - Date.now()))));
  }
}
