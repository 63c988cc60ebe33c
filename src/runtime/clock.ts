// The clock the runtime's timers use, injected so that idle and shutdown timing is testable without waiting.

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  /** `keepAlive`: the timer holds the process open (a bound the caller exits after); otherwise it never does. */
  setTimeout(fn: () => void, ms: number, keepAlive?: boolean): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock. Its timers are unref'd unless asked to keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms, keepAlive) => (keepAlive ? setTimeout(fn, ms) : setTimeout(fn, ms).unref()),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
