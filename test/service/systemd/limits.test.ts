// Proves the start/trigger limits: idle-exit churn never reaches them, a start-up crash loop always does, and the bound is tight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isInitsockError } from '../../../src/errors.js';
import {
  CRASH_BUDGET_MS,
  assertIdleTimeout,
  maxEventsInWindow,
  unitLimits,
  type UnitLimits,
} from '../../../src/service/systemd/limits.js';

/** systemd's ratelimit_below() (src/basic/ratelimit.c), fed event times in ms; returns the index of the first refused event, or -1. */
function firstRefused(times: readonly number[], intervalMs: number, burst: number): number {
  let begin = -Infinity;
  let num = 0;
  for (const [i, ts] of times.entries()) {
    if (ts - begin > intervalMs) {
      begin = ts;
      num = 0;
    }
    if (num >= burst) return i;
    num++;
  }
  return -1;
}

/** Start times for gaps[i] between consecutive starts. */
const startsFrom = (gaps: readonly number[]): number[] =>
  gaps.reduce<number[]>((acc, g) => [...acc, (acc.at(-1) ?? 0) + g], [0]);
const evenStarts = (gapMs: number, count: number): number[] => startsFrom(Array<number>(count - 1).fill(gapMs));
const startRefused = (l: UnitLimits, times: number[]) => firstRefused(times, l.startLimitIntervalMs, l.startLimitBurst);
const triggerRefused = (l: UnitLimits, times: number[]) =>
  firstRefused(times, l.triggerLimitIntervalMs, l.triggerLimitBurst);

test('the documented problem: with systemd defaults (10 s / 5) a worker idling out every 1 s fails the socket', () => {
  assert.equal(firstRefused(evenStarts(1000, 20), 10_000, 5), 5);
});

// [restart delay ms, idle timeout ms, starts allowed by the start-limit window for that idle timeout]
const table: Array<[number, number, number]> = [
  [1000, 5_000, 4], // the defaults at the minimum idle timeout: 15 s / 5 s + 1 = 4 starts per window, burst 5
  [1000, 30_000, 1], // a typical 30 s idle timeout: one start per 15 s window
  [1000, 10 * 60_000, 1], // long idle timeouts: one start per window
  [100, 2_100 + 2_000, 3], // the fastest restart delay at its minimum: 10.5 s / 4.1 s + 1 = 3
  [500, 4_500, 3], // the hostile golden case's delay: 12.5 s / 4.5 s + 1 = 3
  [60_000, 64_000, 5], // the slowest restart delay at its minimum: 310 s / 64 s + 1 = 5, exactly the burst
];

test('table: at or above the minimum idle timeout, idle churn fits in every start window and every trigger window', () => {
  for (const [delay, idle, expected] of table) {
    const l = unitLimits(delay);
    assert.doesNotThrow(() => assertIdleTimeout(idle, l));
    assert.equal(maxEventsInWindow(l.startLimitIntervalMs, idle), expected, `delay ${delay} idle ${idle}`);
    assert.ok(expected <= l.startLimitBurst);
    assert.ok(
      maxEventsInWindow(l.triggerLimitIntervalMs, idle) <= 1,
      'idle churn triggers at most once per trigger window',
    );
    // and systemd's own counting agrees, over a long run of back-to-back idle exits
    assert.equal(startRefused(l, evenStarts(idle, 500)), -1, `delay ${delay} idle ${idle}: start limit hit`);
    assert.equal(triggerRefused(l, evenStarts(idle, 500)), -1, `delay ${delay} idle ${idle}: trigger limit hit`);
  }
});

test('any idle churn at or above the minimum never hits the start or trigger limit (random gaps >= idle timeout)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 100, max: 60_000 }),
      fc.integer({ min: 0, max: 600_000 }),
      fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 60 }),
      (delay, extraIdle, extraGaps) => {
        const l = unitLimits(delay);
        const idle = l.minIdleTimeoutMs + extraIdle;
        const times = startsFrom(extraGaps.map((g) => idle + g));
        return startRefused(l, times) === -1 && triggerRefused(l, times) === -1;
      },
    ),
    { numRuns: 300 },
  );
});

test('a worker that crashes at start-up (a start every RestartSec + crash time, or sooner) hits the start limit within one window', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 100, max: 60_000 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
      (delay, fractions) => {
        const l = unitLimits(delay);
        const cycle = delay + CRASH_BUDGET_MS;
        const times = startsFrom(fractions.map((f) => Math.floor(f * cycle)));
        const refused = startRefused(l, times);
        return refused === l.startLimitBurst && (times[refused] as number) <= l.startLimitIntervalMs;
      },
    ),
    { numRuns: 300 },
  );
});

test('the bound is tight: an idle timeout of exactly one crash cycle would hit the start limit, so the minimum adds a margin', () => {
  for (const delay of [100, 1000, 60_000]) {
    const l = unitLimits(delay);
    const cycle = delay + CRASH_BUDGET_MS;
    assert.equal(startRefused(l, evenStarts(cycle, 50)), l.startLimitBurst);
    assert.ok(l.minIdleTimeoutMs > cycle);
  }
});

test('idle timeouts: 0 (never) and the minimum pass; shorter ones are refused with the minimum and the fix', () => {
  const l = unitLimits();
  assert.equal(l.minIdleTimeoutMs, 5000);
  assert.doesNotThrow(() => assertIdleTimeout(0, l));
  assert.doesNotThrow(() => assertIdleTimeout(5000, l));
  for (const bad of [1, 1000, 4999]) {
    assert.throws(
      () => assertIdleTimeout(bad, l),
      (err: unknown) =>
        isInitsockError(err, 'INVALID_VALUE') &&
        /--idle-timeout .* shorter than the 5s minimum/.test(err.message) &&
        /Use at least 5s, or 0/.test(err.message),
    );
  }
  for (const bad of [-1, 1.5, NaN])
    assert.throws(
      () => assertIdleTimeout(bad, l),
      (err: unknown) => isInitsockError(err, 'INVALID_VALUE'),
    );
});

test('restart delays outside 100 ms..60 s are refused', () => {
  for (const bad of [0, 99, 60_001, 1.5])
    assert.throws(
      () => unitLimits(bad),
      (err: unknown) => isInitsockError(err, 'INVALID_VALUE'),
    );
  assert.deepEqual(unitLimits(), {
    restartDelayMs: 1000,
    startLimitIntervalMs: 15_000,
    startLimitBurst: 5,
    triggerLimitIntervalMs: 2000,
    triggerLimitBurst: 20,
    minIdleTimeoutMs: 5000,
  });
});
