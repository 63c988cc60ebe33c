// Routes the app's console.error/console.warn through the logger (their priority in the journal, timestamps, the log
// file), and, when stdout/stderr are the rotating log file itself (the fallback worker), its own writes into that file.
import { fstatSync } from 'node:fs';
import { format } from 'node:util';
import { logFileOf, type Logger } from './logger.js';
import type { RotatingFile } from './rotating-file.js';

type Write = typeof process.stdout.write;

/** True when file descriptor `fd` is the same open file as `file` (the fallback hands the log as fds 1 and 2). */
function isSameFile(fd: number, file: RotatingFile): boolean {
  try {
    const st = fstatSync(fd);
    const own = file.identity();
    return st.dev === own.dev && st.ino === own.ino;
  } catch {
    return false;
  }
}

/** Makes `stream.write` append to `file`, so the app's output counts against the same 5 MiB × 3 bound. */
function redirect(stream: NodeJS.WriteStream, file: RotatingFile): () => void {
  const original = stream.write;
  stream.write = ((
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | ((err?: Error | null) => void),
    cb?: (err?: Error | null) => void,
  ) => {
    file.write(
      typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : chunk,
    );
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) process.nextTick(done);
    return true;
  }) as Write;
  return () => {
    stream.write = original;
  };
}

/** Installs the routing; returns the function that puts everything back. */
export function captureOutput(logger: Logger): () => void {
  const { error, warn } = console;
  console.error = (...args: unknown[]) => {
    logger.error(format(...args));
  };
  console.warn = (...args: unknown[]) => {
    logger.warn(format(...args));
  };
  const restores = [
    () => {
      console.error = error;
      console.warn = warn;
    },
  ];
  const file = logFileOf(logger);
  if (file) {
    if (isSameFile(1, file)) restores.push(redirect(process.stdout, file));
    if (isSameFile(2, file)) restores.push(redirect(process.stderr, file));
  }
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}
