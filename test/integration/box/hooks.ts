// node:test glue: boot one box per test file, share it across the file's tests, always stop it, skip with a reason.
import { after, before, type TestContext } from 'node:test';
import { bootBox, type BootOptions } from './boot.js';
import type { Box } from './box.js';
import { boxUnavailable } from './skip.js';

export interface BoxHandle {
  /** The file's box; or undefined after calling t.skip(reason) when a box cannot run on this machine. */
  get(t: TestContext): Box | undefined;
}

/**
 * Registers before/after hooks in the current scope (top level of a test file, or a describe) that boot a box
 * and stop it. A boot failure on a machine that can run boxes fails the tests: it is a bug, not a skip.
 */
export function useBox(options: BootOptions = {}): BoxHandle {
  const reason = boxUnavailable();
  let box: Box | undefined;
  if (reason) console.log(`# systemd box unavailable: ${reason}`);
  before(async () => {
    if (!reason) box = await bootBox(options);
  });
  after(async () => {
    await box?.stop();
  });
  return {
    get(t) {
      if (reason) {
        t.skip(reason);
        return undefined;
      }
      if (!box) throw new Error('the systemd box did not boot (see the before hook failure)');
      return box;
    },
  };
}
