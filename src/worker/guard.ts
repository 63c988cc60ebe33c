// The worker's request guard (Host, Origin, bearer token from the security module), one per local port, built on first use.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequestGuard, type GuardLogger, type RequestGuard } from '../security/request-guard.js';

export interface WorkerGuardOptions {
  token: string | null;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

/**
 * Returns a guard that checks each request against the port it arrived on (req.socket.localPort), so it works
 * for every inherited socket without knowing the ports in advance.
 */
export function workerGuard(options: WorkerGuardOptions, logger: GuardLogger): RequestGuard {
  const guards = new Map<number, RequestGuard>();
  return (req: IncomingMessage, res: ServerResponse) => {
    const port = req.socket.localPort;
    // A socket that already lost its address (reset mid-parse) has nothing to answer to.
    if (!port) { res.destroy(); return false; }
    let guard = guards.get(port);
    if (!guard) {
      guard = createRequestGuard({ port, token: options.token, allowedHosts: options.allowedHosts,
        allowedOrigins: options.allowedOrigins, logger });
      guards.set(port, guard);
    }
    return guard(req, res);
  };
}
