// A streaming load client running inside the box: requests on fresh connections until the test says stop.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { LoadSummary } from '../../fixtures/box/load-summary.js';
import type { Box } from './box.js';
import { boxFixture } from './client.js';

export interface LoadStream {
  /** Stops sending (closes the client's stdin), waits for requests in flight and resolves with the summary. */
  stop(): Promise<LoadSummary>;
}

/** Starts test/fixtures/box/load.ts in stream mode against `port`/`path` with `concurrency` request loops. */
export function startLoadStream(box: Box, port: number, path = '/health', concurrency = 4): LoadStream {
  const child: ChildProcessWithoutNullStreams = box.spawn([
    process.execPath,
    boxFixture('load'),
    JSON.stringify({ port, path, mode: 'stream', concurrency }),
  ]);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const done = new Promise<LoadSummary>((resolve, reject) => {
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as LoadSummary);
      else reject(new Error(`load stream exited ${code}: ${stderr.trim()}`));
    });
  });
  done.catch(() => {
    /* reported by stop() */
  });
  return {
    stop() {
      child.stdin.end();
      return done;
    },
  };
}
