// A worker entry for the interrupt tests: waits until the file named by $GATE_FLAG exists, then runs the real worker, so
// a test decides when /health first answers (install's health check waits meanwhile).
import { existsSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

const flag = process.env.GATE_FLAG ?? '';
if (!existsSync(flag)) {
  await new Promise<void>((resolve) => {
    const w = watch(dirname(flag), (_event, file) => {
      if (file === basename(flag) && existsSync(flag)) {
        w.close();
        resolve();
      }
    });
    if (existsSync(flag)) {
      w.close();
      resolve();
    } // created between the check and the watch
  });
}
await import('../../src/bin/worker.js');
