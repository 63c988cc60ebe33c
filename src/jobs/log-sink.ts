// A bounded log file for job output where no journal takes it: at most two generations (NAME and NAME.1) of MAX_LOG_BYTES.
import { closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';

/** Rotate when the file would pass this size; the previous generation is kept as NAME.1. */
export const MAX_LOG_BYTES = 1024 * 1024;

export class LogSink {
  private fd: number;
  private size: number;

  constructor(
    private readonly path: string,
    private readonly maxBytes = MAX_LOG_BYTES,
  ) {
    this.fd = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  /** Appends `data`; a write error is reported once on stderr and never stops the job. */
  write(data: string | Buffer): void {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    try {
      if (this.size > 0 && this.size + buf.length > this.maxBytes) this.rotate();
      writeSync(this.fd, buf);
      this.size += buf.length;
    } catch (err) {
      process.stderr.write(`initsock job: cannot write ${this.path}: ${(err as Error).message}\n`);
    }
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}
