// The request guard for every socket a worker serves: one createRequestGuard per local address and port, built on first use.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import {
  createRequestGuard,
  createUpgradeGuard,
  type GuardLogger,
  type RequestGuard,
  type RequestGuardOptions,
} from './request-guard.js';

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

/** One guard per local address and port a socket arrived on, built on first use by `make`. */
function perPort<G>(
  options: PortGuardOptions,
  logger: GuardLogger,
  make: (o: RequestGuardOptions) => G,
): (socket: { localPort?: number; localAddress?: string }) => G | null {
  const guards = new Map<string, G>();
  return ({ localPort: port, localAddress }) => {
    if (!port) return null;
    const key = `${localAddress ?? ''} ${port}`;
    let guard = guards.get(key);
    if (!guard) {
      guard = make({
        port,
        token: options.token,
        allowedHosts: [...options.allowedHosts, ...servedAddress(localAddress)],
        allowedOrigins: options.allowedOrigins,
        logger,
      });
      guards.set(key, guard);
    }
    return guard;
  };
}

/**
 * Returns a guard that checks each request against the address and port it arrived on (req.socket.localAddress,
 * localPort), so it works for every inherited socket without knowing them in advance.
 */
export function portGuard(options: PortGuardOptions, logger: GuardLogger): RequestGuard {
  const forSocket = perPort(options, logger, createRequestGuard);
  return (req: IncomingMessage, res: ServerResponse) => {
    const guard = forSocket(req.socket);
    // A socket that already lost its address (reset mid-parse) has nothing to answer to.
    if (!guard) {
      res.destroy();
      return false;
    }
    return guard(req, res);
  };
}

/** The same check for an upgrade request ('upgrade' event), which has a socket instead of a response. */
export function portUpgradeGuard(
  options: PortGuardOptions,
  logger: GuardLogger,
): (req: IncomingMessage, socket: Duplex) => boolean {
  const forSocket = perPort(options, logger, createUpgradeGuard);
  return (req, socket) => {
    const guard = forSocket(req.socket);
    if (!guard) {
      socket.destroy();
      return false;
    }
    return guard(req, socket);
  };
}
