// The cross-site check that stops browsers' CSRF: a foreign Origin, or a cross-site fetch without an allowed Origin, is refused.
import { LOOPBACK_NAMES, PASS, type Verdict } from './host-header.js';

/** Origins (lowercase, no trailing slash) accepted for `port`: the worker's own loopback origins plus `extra`. */
export function acceptedOrigins(port: number, extra: readonly string[] = []): Set<string> {
  const out = new Set<string>();
  for (const name of LOOPBACK_NAMES) {
    out.add(`http://${name}:${port}`);
    if (port === 80) out.add(`http://${name}`);
  }
  for (const raw of extra) {
    const origin = raw.trim().toLowerCase().replace(/\/+$/, '');
    if (origin !== '') out.add(origin);
  }
  return out;
}

/** Sec-Fetch-Site values that say the request did not come from another site's page. */
const OWN_SITE = new Set(['same-origin', 'none']);

/**
 * Checks the Origin and Sec-Fetch-Site header lines of a request. A missing Origin is fine (CLI clients send
 * none). A present Origin must be accepted; "null" (sandboxed frames, file:// pages, cross-origin redirects)
 * never is. Browsers omit Origin on no-cors GETs (<img src>, navigations), so Sec-Fetch-Site catches those:
 * any value other than same-origin or none (cross-site, same-site, or a value we do not know) passes only
 * with an accepted Origin. Repeated headers are refused rather than guessed at.
 */
export function checkOrigin(
  origins: readonly string[],
  fetchSites: readonly string[],
  accepted: ReadonlySet<string>,
): Verdict {
  if (origins.length > 1 || fetchSites.length > 1) {
    return { ok: false, status: 403, reason: 'the request repeats the Origin or Sec-Fetch-Site header' };
  }
  const origin = origins[0]?.trim().toLowerCase();
  const originOk = origin !== undefined && accepted.has(origin);
  if (origin !== undefined && !originOk) {
    return {
      ok: false,
      status: 403,
      reason: 'the request comes from a foreign Origin (cross-site request protection)',
    };
  }
  const site = fetchSites[0]?.trim().toLowerCase();
  if (site !== undefined && !OWN_SITE.has(site) && !originOk) {
    return {
      ok: false,
      status: 403,
      reason: 'the browser marked the request as cross-site (cross-site request protection)',
    };
  }
  return PASS;
}
