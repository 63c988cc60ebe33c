// The real process I/O for the CLI: stdout, stderr and a bounded read of stdin.
import { InitsockError } from '../errors.js';
import type { CliIo } from './cli.js';

export function processIo(): CliIo {
  return {
    env: process.env,
    out: (data) => {
      process.stdout.write(data);
    },
    err: (text) => {
      process.stderr.write(text);
    },
    readStdin,
  };
}

/** Reads all of stdin unless it is a terminal. A pipe that never closes would hang a hook, so it is bounded. */
function readStdin(timeoutMs: number): Promise<Buffer | undefined> {
  if (process.stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      process.stdin.destroy();
      reject(
        new InitsockError(
          'TIMEOUT',
          `stdin was still open after ${timeoutMs} ms, so no request was sent. ` +
            'Close stdin (`</dev/null`), or pass --no-stdin or --data.',
        ),
      );
    }, timeoutMs);
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.once('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    process.stdin.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
