// Loopback checks for listen addresses: the worker stays on 127.0.0.0/8 or ::1 unless the user explicitly opts in.
import { BlockList, isIP } from 'node:net';
import { InitsockError } from '../errors.js';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The default flag that allows a non-loopback listen host; the installer and the worker both use it. */
export const EXPOSE_FLAG = '--expose-to-network';

/** Strips the brackets of "[::1]"; anything else is returned as given. */
function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * True for 127.0.0.0/8 (dotted quad only), ::1 in any spelling (also "[::1]" and ::ffff:127.x.y.z), and
 * the name "localhost" (any case; RFC 6761 §6.3 reserves it for loopback). No other name counts, even if it
 * resolves to 127.0.0.1 today: we never resolve, because a resolver's answer can change (that is what
 * DNS rebinding exploits) and /etc/hosts is not ours to trust. A trailing dot or a zone id ("::1%lo") is not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const bare = unbracket(host);
  const family = isIP(bare);
  if (family === 0 || bare.includes('%')) return false;
  return loopback.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** An RFC 1123 host name (labels of letters, digits and inner hyphens), at most 253 characters. */
function isHostName(host: string): boolean {
  return host.length <= 253 && /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/.test(host);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || (isIP(host) === 6 && /^[0:]+$/.test(host));
}

/** Says, in words, who could reach a worker that listens on `host`. */
export function describeExposure(host: string): string {
  const reach =
    "could call the worker's routes and read what they return (for a coding assistant: your code and conversations)";
  if (isWildcard(host)) {
    return `${host} means every network interface, so every machine that can reach this computer (your LAN, a shared Wi-Fi, a VPN) ${reach}`;
  }
  if (isIP(host) !== 0)
    return `${host} is not a loopback address, so every machine that can reach ${host} over the network ${reach}`;
  return `${host} is a name, not a loopback address, so every machine that can reach whatever address it resolves to ${reach}`;
}

export interface ListenHostOptions {
  /** The user passed the explicit opt-in flag (default false). */
  allowNonLoopback?: boolean;
  /** The flag's name, for messages (default --expose-to-network). */
  flag?: string;
  /** What the value is called, for messages (default --host). */
  what?: string;
}

export interface ListenHostCheck {
  /** The host without IPv6 brackets, ready for ListenStream=/server.listen. */
  host: string;
  loopback: boolean;
  /** Set when a non-loopback host was allowed: print it, so the exposure is never silent. */
  warning?: string;
}

/**
 * Checks a listen host. Loopback passes. A non-loopback IP literal or host name throws NOT_LOOPBACK unless
 * `allowNonLoopback` is set, in which case the result carries a warning. Anything that is not an IP literal,
 * "localhost" or a host name throws INVALID_VALUE.
 */
export function validateListenHost(host: string, options: ListenHostOptions = {}): ListenHostCheck {
  const { allowNonLoopback = false, flag = EXPOSE_FLAG, what = '--host' } = options;
  const bare = unbracket(host);
  if (isLoopbackHost(host)) return { host: bare, loopback: true };
  if (isIP(bare) === 0 && !isHostName(bare)) {
    throw new InitsockError(
      'INVALID_VALUE',
      `${what} ${JSON.stringify(host).slice(0, 120)} is not an IP address or a host name. Use 127.0.0.1 (the default) or ::1.`,
    );
  }
  const exposure = describeExposure(bare);
  if (!allowNonLoopback) {
    throw new InitsockError(
      'NOT_LOOPBACK',
      `refusing to listen on ${what} ${host}: ${exposure}. Use 127.0.0.1 (the default) or ::1, ` +
        `or pass ${flag} if you really mean to expose it, and keep the token on.`,
      { details: { host } },
    );
  }
  return { host: bare, loopback: false, warning: `warning: ${exposure}. The token is the only thing protecting it.` };
}
