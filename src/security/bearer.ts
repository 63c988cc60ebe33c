// The bearer-token check: parse "Authorization: Bearer <token>" and compare in constant time.
import { crypto } from '../util/builtin.js';

/** RFC 6750 §2.1: "Bearer" 1*SP b64token. The scheme is case-insensitive. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export type BearerResult = 'ok' | 'missing' | 'invalid';

function digest(value: string): Buffer {
  return crypto().createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Builds a checker for one expected token. Both sides are hashed to 32 bytes before timingSafeEqual, so the
 * comparison takes the same time whatever the candidate's length or content. `values` are the request's
 * Authorization header lines: none is "missing"; more than one, another scheme or a wrong token is "invalid".
 */
export function bearerChecker(token: string): (values: readonly string[]) => BearerResult {
  if (token === '') throw new TypeError('bearerChecker: empty token');
  let expected: Buffer | undefined; // computed at the first check: a worker whose first requests are /health never loads crypto
  return (values) => {
    expected ??= digest(token);
    if (values.length === 0) return 'missing';
    const m = values.length === 1 ? BEARER.exec(values[0] ?? '') : null;
    const candidate = digest(m?.[1] ?? '');
    // Compare even when the header did not parse, so a malformed header costs the same as a wrong token.
    const same = crypto().timingSafeEqual(candidate, expected);
    return m && same ? 'ok' : 'invalid';
  };
}

/** The WWW-Authenticate value for a 401 (RFC 6750 §3): no error code when no credentials were sent. */
export function wwwAuthenticate(result: Exclude<BearerResult, 'ok'>): string {
  return result === 'missing' ? 'Bearer realm="initsock"' : 'Bearer realm="initsock", error="invalid_token"';
}
