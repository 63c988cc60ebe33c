// Caps the guard's refusal lines, so a web page hammering the port cannot flood the log or rotate real lines away.
import type { GuardLogger } from './request-guard.js';

/** The default cap: this many refusal lines per window of this many ms (SECURITY.md quotes them). */
export const REFUSAL_LINES_PER_WINDOW = 60;
export const REFUSAL_WINDOW_MS = 60_000;

export interface LogLimit {
  /** Lines logged per window at most (default 60). */
  max?: number;
  /** The window, in ms (default 60 s). */
  windowMs?: number;
  /** The clock (tests inject one). */
  now?: () => number;
}

/**
 * Wraps `logger`: at most `max` lines per window; the rest are counted, and the count is logged with the first
 * line of the next window ("N more refusals were not logged"), so nothing disappears without a trace.
 */
export function limitLogger(logger: GuardLogger, limit: LogLimit = {}): GuardLogger {
  const { max = REFUSAL_LINES_PER_WINDOW, windowMs = REFUSAL_WINDOW_MS, now = Date.now } = limit;
  let windowStart = Number.NEGATIVE_INFINITY;
  let logged = 0;
  let dropped = 0;
  return {
    warn(message, meta) {
      const t = now();
      if (t - windowStart >= windowMs) {
        if (dropped > 0)
          logger.warn(
            `initsock guard: ${dropped} more refusal(s) were not logged (at most ${max} per ${windowMs / 1000}s)`,
          );
        windowStart = t;
        logged = 0;
        dropped = 0;
      }
      if (logged < max) {
        logged += 1;
        logger.warn(message, meta);
      } else {
        dropped += 1;
      }
    },
  };
}
