// The worker's shutdown budget, and the init systems' stop timeouts derived from it so SIGKILL never cuts it short.

/** How long a shutdown waits for requests in flight (the worker's --shutdown-timeout default). */
export const DEFAULT_DRAIN_MS = 10_000;
/** Owned children get this long between SIGTERM and SIGKILL. */
export const CHILD_GRACE_MS = 5_000;
/** Upper bound on flushing the log before exit. */
export const LOG_FLUSH_MS = 2_000;
/** Time for the process to exit after its last log line (event loop teardown, the runtime's own exit). */
export const EXIT_SLACK_MS = 1_000;
/**
 * While draining, an idle keep-alive connection is closed only after it stayed quiet this long (within the drain),
 * so a client reusing it in that window is answered, with `Connection: close`, instead of losing its request.
 */
export const KEEPALIVE_QUIET_MS = 500;
/** A second SIGTERM/SIGINT exits at once, flushing the log this long at most. */
export const URGENT_FLUSH_MS = 200;
/** The longest --shutdown-timeout the installer renders. */
export const MAX_DRAIN_MS = 3_600_000;

/** The bound of each phase of a graceful stop, in the order the worker runs them (ms). */
export interface ShutdownBudget {
  drainMs: number;
  childGraceMs: number;
  logFlushMs: number;
}

/** The phases of a stop for this drain time; the worker's lifecycle waits on exactly these. */
export function shutdownBudget(drainMs = DEFAULT_DRAIN_MS): ShutdownBudget {
  return { drainMs, childGraceMs: CHILD_GRACE_MS, logFlushMs: LOG_FLUSH_MS };
}

/** The worst case of a graceful stop: drain, then stop children, then flush the log. */
export function shutdownBudgetMs(drainMs = DEFAULT_DRAIN_MS): number {
  return drainMs + CHILD_GRACE_MS + LOG_FLUSH_MS;
}

/** SIGTERM to SIGKILL for a worker with this drain time: the whole budget plus the exit slack. */
export function stopTimeoutMs(drainMs = DEFAULT_DRAIN_MS): number {
  return shutdownBudgetMs(drainMs) + EXIT_SLACK_MS;
}

/** The stop timeout in whole seconds, rounded up (launchd's ExitTimeOut takes seconds). */
export function stopTimeoutSeconds(drainMs = DEFAULT_DRAIN_MS): number {
  return Math.ceil(stopTimeoutMs(drainMs) / 1000);
}
