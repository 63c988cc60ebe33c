// The global cap across keys (--max-parallel N): a run holds one of N slot locks while it runs; the kernel frees it on death.
import { tryLock, type HeldLock } from './flock.js';
import { slotLock } from './paths.js';

const SLOT_POLL_MS = 100;

/**
 * Takes a free slot among 0..max-1, waiting while all are taken; null at once when max is 0 (no cap).
 * Runs started with different N share the low slots, so the smallest N in use bounds them all.
 */
export async function takeSlot(dir: string, max: number, cancelled: () => boolean): Promise<HeldLock | null> {
  if (max <= 0) return null;
  for (;;) {
    for (let i = 0; i < max; i++) {
      const held = tryLock(slotLock(dir, i));
      if (held) return held;
    }
    if (cancelled()) return null;
    await new Promise((r) => setTimeout(r, SLOT_POLL_MS));
  }
}
