// Start and trigger limits for the units, chosen so idle-exit churn can never fail the socket while a crash loop still does.
import { InitsockError } from '../../errors.js';
import { formatDuration } from '../../util/duration.js';

/*
 * The problem. systemd counts every start of a unit (StartLimitIntervalSec=/StartLimitBurst=, default 10s/5)
 * and every time a socket triggers its service (TriggerLimitIntervalSec=/TriggerLimitBurst=, default 2s/20 for
 * Accept=no). Going over either fails the unit, and a socket whose service hit its start limit goes to "failed"
 * and closes the port. A worker that exits when idle is started again by the next connection, so with the
 * defaults a 1 s idle timeout fails the socket after a few busy seconds.
 *
 * How systemd counts (ratelimit_below() in src/basic/ratelimit.c): a window opens at the first event and lasts
 * `interval`; the first `burst` events in it pass, one more fails; the next event after the window opens a new one.
 *
 * Idle churn. Every worker lives at least idleTimeout (its idle timer starts at start-up), and with Accept=no the
 * socket triggers only after the previous worker has exited. So consecutive starts are at least idleTimeout (I)
 * apart, and a window of length W holds at most  floor(W / I) + 1  starts (maxEventsInWindow). Clean exits
 * (code 0) are never restarted by Restart=on-failure, so there are no extra restarts.
 *
 * Crash loop. A worker that fails at start-up is restarted after RestartSec (R), or sooner when a connection is
 * waiting (the socket listens again and triggers at once). Allowing it CRASH_BUDGET_MS (C) to load and fail, its
 * starts are at most P = R + C apart. Burst+1 such starts span Burst * P.
 *
 * The choice. StartLimitBurst B = 5 and StartLimitIntervalSec W = B * P, so Burst+1 crash starts always fit in one
 * window: a crash loop fails within B * P (15 s with the defaults). Idle churn stays within the limit when
 * floor(W / I) + 1 <= B, that is when I > W / B = P. We require I >= P + SAFETY_MARGIN_MS (5 s by default) and
 * refuse shorter idle timeouts (0 = never exit is always fine). The trigger limit keeps systemd's 2 s / 20: it only
 * guards against a service that exits without taking its connection, and idle churn triggers at most
 * floor(2 s / I) + 1 = 1 time per window, far below 20.
 */

export const DEFAULT_RESTART_DELAY_MS = 1000;
/** How long a worker that crashes at start-up may take to do so (node start-up, module loading). */
export const CRASH_BUDGET_MS = 2000;
/** Slack between the shortest idle lifetime and the crash cycle, for timer and clock jitter. */
export const SAFETY_MARGIN_MS = 2000;
export const START_LIMIT_BURST = 5;
export const TRIGGER_LIMIT_INTERVAL_MS = 2000;
export const TRIGGER_LIMIT_BURST = 20;
const MIN_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 60_000;

/**
 * A program run alone (--exec, --adopt) decides itself when to exit, so the idle-churn bound above does not hold for
 * it. Such programs (uvicorn, a Node daemon) normally never exit on their own; one that exits 0 without taking its
 * socket is started again at once by the waiting connection, and loops. Its start window is therefore at least Burst x
 * PROGRAM_MIN_LIFETIME_MS: more than Burst starts in it, clean exits included (systemd counts every start), fail the
 * socket instead of looping forever. A program that really exits on its own more often than once per this lifetime,
 * for a whole window, is treated as that loop.
 */
export const PROGRAM_MIN_LIFETIME_MS = 12_000;

export interface UnitLimits {
  restartDelayMs: number;
  startLimitIntervalMs: number;
  startLimitBurst: number;
  triggerLimitIntervalMs: number;
  triggerLimitBurst: number;
  /** The shortest idle timeout these limits allow (besides 0). */
  minIdleTimeoutMs: number;
}

/** The most events a systemd rate-limit window of `windowMs` can hold when events are at least `gapMs` apart. */
export function maxEventsInWindow(windowMs: number, gapMs: number): number {
  return gapMs <= 0 ? Infinity : Math.floor(windowMs / gapMs) + 1;
}

/** Limits for a restart delay (RestartSec=); throws INVALID_VALUE for a delay outside 100 ms..60 s. */
export function unitLimits(restartDelayMs = DEFAULT_RESTART_DELAY_MS): UnitLimits {
  if (
    !Number.isInteger(restartDelayMs) ||
    restartDelayMs < MIN_RESTART_DELAY_MS ||
    restartDelayMs > MAX_RESTART_DELAY_MS
  ) {
    throw new InitsockError(
      'INVALID_VALUE',
      `restart delay ${restartDelayMs} ms is out of range. Use ${MIN_RESTART_DELAY_MS} ms to ${MAX_RESTART_DELAY_MS / 1000} s.`,
    );
  }
  const crashCycleMs = restartDelayMs + CRASH_BUDGET_MS;
  return {
    restartDelayMs,
    startLimitIntervalMs: START_LIMIT_BURST * crashCycleMs,
    startLimitBurst: START_LIMIT_BURST,
    triggerLimitIntervalMs: TRIGGER_LIMIT_INTERVAL_MS,
    triggerLimitBurst: TRIGGER_LIMIT_BURST,
    minIdleTimeoutMs: crashCycleMs + SAFETY_MARGIN_MS,
  };
}

/** Throws INVALID_VALUE when `idleTimeoutMs` is neither 0 (never) nor at least the minimum for these limits. */
export function assertIdleTimeout(idleTimeoutMs: number, limits: UnitLimits): void {
  if (!Number.isInteger(idleTimeoutMs) || idleTimeoutMs < 0) {
    throw new InitsockError(
      'INVALID_VALUE',
      `--idle-timeout ${idleTimeoutMs} ms is not a duration. Use 0 (never) or a value like 30s.`,
    );
  }
  if (idleTimeoutMs !== 0 && idleTimeoutMs < limits.minIdleTimeoutMs) {
    const min = formatDuration(limits.minIdleTimeoutMs);
    throw new InitsockError(
      'INVALID_VALUE',
      `--idle-timeout ${formatDuration(idleTimeoutMs)} is shorter than the ${min} minimum: a worker that exits that often cannot be ` +
        `told apart from one that crashes at start-up, and systemd would stop the socket and free the port. Use at least ${min}, or 0 to never exit when idle.`,
      { details: { field: '--idle-timeout', value: idleTimeoutMs, minimum: limits.minIdleTimeoutMs } },
    );
  }
}

/** The limits for a service: unitLimits, with the longer start window of a program run alone (`alone`). */
export function serviceLimits(restartDelayMs: number | undefined, alone: boolean): UnitLimits {
  const limits = unitLimits(restartDelayMs);
  if (!alone) return limits;
  return {
    ...limits,
    startLimitIntervalMs: Math.max(limits.startLimitIntervalMs, START_LIMIT_BURST * PROGRAM_MIN_LIFETIME_MS),
  };
}
