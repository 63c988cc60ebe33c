// Polls an external state (a manager's status, /proc) until it holds, with a bounded deadline.
import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** Pause between checks (default 25 ms). */
  intervalMs?: number;
}

/**
 * Calls `check` until it returns something other than undefined, and resolves with that. Rejects with
 * "timed out waiting for <what>" plus the last observation (from `describe`) when the deadline passes.
 */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  options: PollOptions & { describe?: () => Promise<string> | string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const last = options.describe ? ` (last seen: ${await options.describe()})` : '';
      throw new Error(`timed out waiting for ${what}${last}`);
    }
    await delay(options.intervalMs ?? 25);
  }
}
