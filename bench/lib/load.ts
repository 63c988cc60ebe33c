// Load generation with autocannon: requests per second against a port, and a fixed number of requests.
import autocannon from 'autocannon';

export interface Load {
  rps: number;
  total: number;
  errors: number;
  p99Ms: number;
}

/** Keep-alive GET /health from `connections` connections for `seconds`; rps = 2xx answers / elapsed seconds. */
export async function loadFor(port: number, seconds: number, connections = 10): Promise<Load> {
  const r = await autocannon({ url: `http://127.0.0.1:${port}/health`, connections, duration: seconds });
  return {
    rps: r['2xx'] / r.duration,
    total: r['2xx'],
    errors: r.errors + r.timeouts + r.non2xx,
    p99Ms: r.latency.p99,
  };
}

/** Sends exactly `amount` requests over `connections` keep-alive connections. */
export async function loadAmount(port: number, amount: number, connections = 10): Promise<Load> {
  const r = await autocannon({ url: `http://127.0.0.1:${port}/health`, connections, amount });
  return {
    rps: r['2xx'] / r.duration,
    total: r['2xx'],
    errors: r.errors + r.timeouts + r.non2xx,
    p99Ms: r.latency.p99,
  };
}
