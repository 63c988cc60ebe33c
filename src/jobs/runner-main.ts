#!/usr/bin/env node
// Entry of a job's runner process: `node runner-main.js DIR ID MODE`, started by a trigger (detached, or by systemd-run).
import { runRunner } from './runner.js';

const [dir, id, mode] = process.argv.slice(2);
if (!dir || !id || (mode !== 'systemd' && mode !== 'process')) {
  process.stderr.write('initsock job runner: expected DIR ID systemd|process (it is started by `initsock job run`).\n');
  process.exit(2);
}
runRunner(dir, id, mode).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`initsock job runner: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
