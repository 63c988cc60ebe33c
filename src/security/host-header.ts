// The Host header check that defeats DNS rebinding: only the loopback names with the worker's port (or an allow-list) pass.
import { isIP } from 'node:net';

/** What a header check decided: pass, or the status and a short reason (never echoing the header back). */
export type Verdict = { ok: true } | { ok: false; status: number; reason: string };

export const PASS: Verdict = { ok: true };

/** The names a browser uses for a loopback worker, exactly as it serializes them (lowercase, IPv6 in brackets). */
export const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;

/** RFC 9110 §7.2: Host = uri-host [ ":" port ]; uri-host is an IP-literal, an IPv4 address or a reg-name. No userinfo. */
const HOST_SYNTAX = /^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~!$&'()*+,;=%]+)(?::[0-9]*)?$/i;

/** True when an allow-list entry already names a port ("example.com:8080", "[fe80::1]:80"). */
function hasPort(entry: string): boolean {
  return /:[0-9]+$/.test(entry) && !/^[^[]*:.*:/.test(entry);
}

/**
 * An allow-list entry as a browser would write it: lowercase, a bare IPv6 address put in brackets. Only a name with
 * a colon and no bracket can be a bare IPv6 address, so only those reach isIP: its IPv6 pattern takes ~6 ms to
 * compile on first use, and the default names (127.0.0.1, localhost, [::1]) are checked on a worker's first request.
 */
function normalizeEntry(raw: string): string {
  const name = raw.trim().toLowerCase();
  return name.includes(':') && !name.startsWith('[') && isIP(name) === 6 ? `[${name}]` : name;
}

/**
 * The exact Host values (lowercase) accepted for `port`: each name followed by ":port". The port may be left out
 * only when it is 80, because RFC 9110 §7.2 lets a client omit the scheme's default port and nothing else.
 * An allow-list entry with its own port is taken as is.
 */
export function acceptedHosts(port: number, extra: readonly string[] = []): Set<string> {
  const out = new Set<string>();
  for (const raw of [...LOOPBACK_NAMES, ...extra]) {
    const name = normalizeEntry(raw);
    if (name === '') continue;
    if (hasPort(name)) {
      out.add(name);
      continue;
    }
    out.add(`${name}:${port}`);
    if (port === 80) out.add(name);
  }
  return out;
}

/**
 * Checks every Host header line of a request. RFC 9112 §3.2 says a server MUST answer 400 when Host is missing,
 * repeated or invalid, so those are 400; a well-formed Host we do not serve is 403. Matching is exact after
 * lowercasing (host names are case-insensitive): no trailing dot, no leading zeros, no empty port, no "127.1".
 */
export function checkHost(values: readonly string[], accepted: ReadonlySet<string>): Verdict {
  if (values.length === 0) return { ok: false, status: 400, reason: 'the request has no Host header' };
  if (values.length > 1) return { ok: false, status: 400, reason: 'the request has more than one Host header' };
  const host = (values[0] ?? '').trim();
  if (!HOST_SYNTAX.test(host)) return { ok: false, status: 400, reason: 'the Host header is not a valid host[:port]' };
  if (!accepted.has(host.toLowerCase())) {
    return { ok: false, status: 403, reason: 'the Host header does not name this worker (DNS rebinding protection)' };
  }
  return PASS;
}

/**
 * Checks the request target. Browsers send origin-form ("/path"); "*" is OPTIONS' asterisk-form. RFC 9112 §3.2.2
 * says a server must take the authority from an absolute-form target ("http://host/path") and ignore Host, so
 * such a target must name this worker too; anything else is refused.
 */
export function checkTarget(url: string, accepted: ReadonlySet<string>): Verdict {
  if (url.startsWith('/') || url === '*') return PASS;
  const authority = /^http:\/\/([^/?#]*)(?:[/?#]|$)/i.exec(url)?.[1];
  if (authority !== undefined && accepted.has(authority.toLowerCase())) return PASS;
  return { ok: false, status: 403, reason: 'the request target names another server' };
}
