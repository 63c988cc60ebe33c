// A size-limited log file for winston, written synchronously: no line is ever queued, so none can be lost at exit.
// winston 3.19's own File transport loses every line of a burst written while it rotates (maxsize) and then never
// emits 'finish', so flushing before exit hangs; this transport replaces it.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import winston from 'winston';
import { InitsockError } from '../errors.js';

const MESSAGE = Symbol.for('message'); // triple-beam's key for the formatted line
// winston exports the base class at runtime as winston.Transport; its typings only as a namespace alias.
const TransportBase = (winston as unknown as { Transport: new (opts?: object) => winston.transport }).Transport;

export interface LogFileOptions {
  filename: string;
  /** Rotate before a line would take the file past this many bytes. */
  maxSize: number;
  /** Files kept in all: worker.log, worker.log.1, ... worker.log.<maxFiles-1>. */
  maxFiles: number;
  format?: winston.Logform.Format;
}

export class LogFile extends TransportBase {
  private fd: number;
  private size: number;

  /** Opens (appends to) the file, creating its folder. Throws WRITE_FAILED when it cannot. */
  constructor(private readonly options: LogFileOptions) {
    super(options.format ? { format: options.format } : {});
    try {
      mkdirSync(dirname(options.filename), { recursive: true });
      this.fd = openSync(options.filename, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    } catch (err) {
      throw new InitsockError('WRITE_FAILED', `cannot open the log file ${options.filename}: ${(err as Error).message}. ` +
        'Fix its folder\'s permissions or pass another --log-file.', { cause: err });
    }
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    const line = `${String(info[MESSAGE] ?? info.message)}\n`;
    const bytes = Buffer.byteLength(line);
    try {
      if (this.size > 0 && this.size + bytes > this.options.maxSize) this.rotate();
      writeSync(this.fd, line);
      this.size += bytes;
    } catch (err) {
      // Logging must never take the worker down; say so once per failure on stderr.
      process.stderr.write(`initsock: cannot write the log file ${this.options.filename}: ${(err as Error).message}\n`);
    }
    next();
  }

  /** worker.log.(n-2) → .(n-1), ..., worker.log → worker.log.1, then a fresh worker.log. */
  private rotate(): void {
    closeSync(this.fd);
    const { filename, maxFiles } = this.options;
    const name = (i: number) => (i === 0 ? filename : `${filename}.${i}`);
    rmSync(name(maxFiles - 1), { force: true });
    for (let i = maxFiles - 2; i >= 0; i--) {
      try { renameSync(name(i), name(i + 1)); } catch { /* that generation does not exist yet */ }
    }
    if (maxFiles <= 1) rmSync(filename, { force: true });
    this.fd = openSync(filename, 'a', 0o600);
    this.size = 0;
  }

  override close(): void {
    try { closeSync(this.fd); } catch { /* already closed */ }
  }
}
