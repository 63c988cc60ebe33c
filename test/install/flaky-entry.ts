// A worker entry for the repair test: exits 1 at start-up while the file named by $FLAKY_FLAG exists, else runs the real worker.
import { existsSync } from 'node:fs';

if (process.env.FLAKY_FLAG && existsSync(process.env.FLAKY_FLAG)) {
  console.error('flaky-entry: failing at start-up on purpose');
  process.exit(1);
}
await import('../../src/bin/worker.js');
