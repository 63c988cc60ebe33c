// The worker's request guard (Host, Origin, bearer token from the security module), one per local port, built on first use.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequestGuard, type GuardLogger, type RequestGuard } from '../security/request-guard.js';

/**
 * Returns a guard that checks each request against the port it arrived on (req.socket.localPort), so it works
 * for every inherited socket without knowing the ports in advance.
 */
export function workerGuard(token: string | null, logger: GuardLogger): RequestGuard {
  const guards = new Map<number, RequestGuard>();
  return (req: IncomingMessage, res: ServerResponse) => {
    const port = req.socket.localPort ?? 0;
    let guard = guards.get(port);
    if (!guard) {
      guard = createRequestGuard({ port, token, logger });
      guards.set(port, guard);
    }
    return guard(req, res);
  };
}
