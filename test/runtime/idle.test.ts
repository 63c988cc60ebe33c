// The idle timer with an injected clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIdleTimer } from '../../src/runtime/idle.js';
import { FakeClock } from '../fixtures/runtime/fake-clock.js';

test('fires once the whole timeout passes idle', () => {
  const clock = new FakeClock();
  let fired = 0;
  const timer = createIdleTimer(1000, clock, () => {
    fired += 1;
  });
  timer.idle();
  clock.advance(999);
  assert.equal(fired, 0);
  clock.advance(1);
  assert.equal(fired, 1);
});

test('busy() cancels; a new idle() restarts the full countdown', () => {
  const clock = new FakeClock();
  let fired = 0;
  const timer = createIdleTimer(1000, clock, () => {
    fired += 1;
  });
  timer.idle();
  clock.advance(900);
  timer.busy();
  clock.advance(5000);
  assert.equal(fired, 0);
  timer.idle();
  clock.advance(999);
  assert.equal(fired, 0);
  clock.advance(1);
  assert.equal(fired, 1);
});

test('0 means never, and stop() disarms for good', () => {
  const clock = new FakeClock();
  let fired = 0;
  createIdleTimer(0, clock, () => {
    fired += 1;
  }).idle();
  assert.equal(clock.pending, 0);
  const timer = createIdleTimer(10, clock, () => {
    fired += 1;
  });
  timer.idle();
  timer.stop();
  timer.idle();
  clock.advance(100);
  assert.equal(fired, 0);
});

test('a timeout above Node timer limit is refused, not fired after 1 ms', () => {
  assert.throws(() => createIdleTimer(2 ** 31, new FakeClock(), () => {}), {
    code: 'INVALID_VALUE',
    message: /idleTimeoutMs 2147483648 ms is longer than Node's timer limit/,
  });
  createIdleTimer(2 ** 31 - 1, new FakeClock(), () => {}).stop();
});
