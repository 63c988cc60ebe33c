// The idle timer: fires once the worker has been idle (no connection at all) for the whole timeout.
import type { Clock, TimerHandle } from './clock.js';
import { MAX_TIMER_MS, tooLong } from '../util/duration.js';

export interface IdleTimer {
  /** The worker became idle: (re)start the countdown. */
  idle(): void;
  /** The worker became busy: cancel the countdown. */
  busy(): void;
  /** Cancel for good. */
  stop(): void;
}

/**
 * A timer that calls `onIdle` `timeoutMs` after the last idle() not followed by busy(). 0 = never. Throws INVALID_VALUE
 * above Node's timer limit, which would fire after 1 ms (a value given to serve() in code never went through the parser).
 */
export function createIdleTimer(timeoutMs: number, clock: Clock, onIdle: () => void): IdleTimer {
  if (timeoutMs > MAX_TIMER_MS) throw tooLong('idleTimeoutMs', timeoutMs);
  let handle: TimerHandle | undefined;
  let stopped = false;
  const cancel = () => {
    if (handle !== undefined) clock.clearTimeout(handle);
    handle = undefined;
  };
  return {
    idle() {
      cancel();
      if (stopped || timeoutMs <= 0) return;
      handle = clock.setTimeout(() => {
        handle = undefined;
        onIdle();
      }, timeoutMs);
    },
    busy: cancel,
    stop() {
      stopped = true;
      cancel();
    },
  };
}
