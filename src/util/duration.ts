// Parses human durations ("30s", "10min", "1h", "250ms", "0") into milliseconds, and formats them back.
import { InitsockError } from '../errors.js';

const UNITS: Record<string, number> = {
  ms: 1,
  msec: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
};

/**
 * The longest delay a Node timer takes (2^31-1 ms, about 24.8 days). A longer one is cut to 1 ms with only a warning,
 * so an idle timeout or a request timeout above it would fire at once: every parsed duration stops here.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** INVALID_VALUE for a duration above MAX_TIMER_MS, with the longest one accepted. */
export function tooLong(what: string, value: string | number): InitsockError {
  const shown = typeof value === 'number' ? `${value} ms` : JSON.stringify(value);
  return new InitsockError(
    'INVALID_VALUE',
    `${what} ${shown} is longer than Node's timer limit of ${MAX_TIMER_MS} ms ` +
      `(about 24.8 days), which Node would cut to 1 ms. Use at most ${Math.floor(MAX_TIMER_MS / 3_600_000)}h` +
      `${what.includes('idle') ? ', or 0 to never exit on idle' : ''}.`,
    { details: { option: what, value } },
  );
}

/**
 * Parses `value` as a duration. A bare number is seconds (systemd's convention); "0" means zero.
 * Throws INVALID_VALUE naming `what` when the value is not a duration, or is longer than MAX_TIMER_MS.
 */
export function parseDuration(value: string, what = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? (m[2] ?? '').toLowerCase() : '';
  const factor = unit === '' ? 1000 : UNITS[unit];
  if (!m || factor === undefined) {
    throw new InitsockError(
      'INVALID_VALUE',
      `${what} ${JSON.stringify(value)} is not a duration. Use a number with a unit, like 500ms, 30s, 10min or 1h (0 = never).`,
    );
  }
  const ms = Math.round(Number(m[1]) * factor);
  if (!(ms <= MAX_TIMER_MS)) throw tooLong(what, value);
  return ms;
}

/** Formats milliseconds the way systemd accepts them ("30s", "1500ms", "10min"). */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms !== 0) return `${ms / 60_000}min`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
