// One try of install's verify: the health probe, with the watcher asked every half second while it waits, so a failed service ends the wait at once.
import { setTimeout as delay } from 'node:timers/promises';
import type { HealthCheck } from './health-check.js';
import { probeHealth, type Health } from './health.js';

/** How often the watcher is asked while a try waits for its answer (real time: it paces calls to the init system). */
export const WATCH_WHILE_WAITING_MS = 500;

export type TryOutcome = { health: Health } | { err: unknown } | { why: string };

/** Resolves with a reason once `watch` gives one; never resolves otherwise (it stops asking when `signal` aborts). */
async function watching(watch: () => Promise<string | null>, signal: AbortSignal): Promise<TryOutcome> {
  while (!signal.aborted) {
    try {
      await delay(WATCH_WHILE_WAITING_MS, undefined, { signal });
    } catch {
      break;
    }
    const why = await watch();
    if (why && !signal.aborted) return { why };
  }
  return new Promise<never>(() => {});
}

/** The probe of `check` on host:port within `timeoutMs`, cut short when `watch` says the service cannot come up. */
export async function watchedTry(
  host: string,
  port: number,
  timeoutMs: number,
  check: HealthCheck,
  watch?: () => Promise<string | null>,
): Promise<TryOutcome> {
  const stop = new AbortController();
  const probe = probeHealth(host, port, timeoutMs, check, stop.signal).then(
    (health): TryOutcome => ({ health }),
    (err: unknown): TryOutcome => ({ err }),
  );
  try {
    return await (watch ? Promise.race([probe, watching(watch, stop.signal)]) : probe);
  } finally {
    stop.abort();
  }
}
