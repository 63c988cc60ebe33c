// The proxy's web-page check: the request guard's Host (DNS rebinding) and Origin (cross-site) rules on every request and upgrade.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { portGuard, portUpgradeGuard } from '../security/port-guard.js';
import type { GuardLogger } from '../security/request-guard.js';

/** Extra Host names and Origins accepted besides the loopback names with the served port (--allow-host, --allow-origin). */
export interface ProxyGuardOptions {
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

export interface WebGuards {
  /** True when the request may go on; otherwise it was answered 400/403 and logged. */
  request: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** True when the upgrade may go on; otherwise the answer was written and the socket closed. */
  upgrade: (req: IncomingMessage, socket: Duplex) => boolean;
}

/**
 * The checks serve() runs, without the token (the proxied program's own clients cannot send one; other local users
 * are refused at accept time instead). Each socket is checked against the address and port it arrived on.
 */
export function webGuards(options: ProxyGuardOptions, logger: GuardLogger): WebGuards {
  const o = { token: null, allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins };
  return { request: portGuard(o, logger), upgrade: portUpgradeGuard(o, logger) };
}
