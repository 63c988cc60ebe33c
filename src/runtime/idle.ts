// The idle timer: fires once the worker has been idle (no connection at all) for the whole timeout.
import type { Clock, TimerHandle } from './clock.js';

export interface IdleTimer {
  /** The worker became idle: (re)start the countdown. */
  idle(): void;
  /** The worker became busy: cancel the countdown. */
  busy(): void;
  /** Cancel for good. */
  stop(): void;
}

/** A timer that calls `onIdle` `timeoutMs` after the last idle() not followed by busy(). 0 = never. */
export function createIdleTimer(timeoutMs: number, clock: Clock, onIdle: () => void): IdleTimer {
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
      handle = clock.setTimeout(() => { handle = undefined; onIdle(); }, timeoutMs);
    },
    busy: cancel,
    stop() { stopped = true; cancel(); },
  };
}
