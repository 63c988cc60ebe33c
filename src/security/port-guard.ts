// The request guard for every socket a worker serves: one createRequestGuard per local address and port, built on first use.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { createRequestGuard, type GuardLogger, type RequestGuard } from './request-guard.js';

export interface PortGuardOptions {
  token: string | null;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

/** The address a connection arrived at, as a Host would name it, when it is not loopback (loopback names pass anyway). */
function servedAddress(local: string | undefined): string[] {
  if (!local) return [];
  const v4 = local.startsWith('::ffff:') ? local.slice(7) : local;
  if (/^127\./.test(v4) || v4 === '::1') return [];
  return [isIP(v4) === 6 ? `[${v4}]` : v4];
}

/**
 * Returns a guard that checks each request against the address and port it arrived on (req.socket.localAddress,
 * localPort), so it works for every inherited socket without knowing them in advance.
 */
export function portGuard(options: PortGuardOptions, logger: GuardLogger): RequestGuard {
  const guards = new Map<string, RequestGuard>();
  return (req: IncomingMessage, res: ServerResponse) => {
    const { localPort: port, localAddress } = req.socket;
    // A socket that already lost its address (reset mid-parse) has nothing to answer to.
    if (!port) { res.destroy(); return false; }
    const key = `${localAddress ?? ''} ${port}`;
    let guard = guards.get(key);
    if (!guard) {
      guard = createRequestGuard({ port, token: options.token, allowedHosts: [...options.allowedHosts, ...servedAddress(localAddress)],
        allowedOrigins: options.allowedOrigins, logger });
      guards.set(key, guard);
    }
    return guard(req, res);
  };
}
