// The winston transport over a RotatingFile, written synchronously: no line is ever queued, so none can be lost at exit.
// winston 3.19's own File transport loses every line of a burst written while it rotates (maxsize) and then never
// emits 'finish', so flushing before exit hangs; this transport replaces it.
import winston from 'winston';
import type { RotatingFile } from './rotating-file.js';

const MESSAGE = Symbol.for('message'); // triple-beam's key for the formatted line
// winston exports the base class at runtime as winston.Transport; its typings only as a namespace alias.
const TransportBase = (winston as unknown as { Transport: new (opts?: object) => winston.transport }).Transport;

export interface LogFileOptions {
  file: RotatingFile;
  format?: winston.Logform.Format;
}

export class LogFile extends TransportBase {
  private readonly file: RotatingFile;

  constructor(options: LogFileOptions) {
    super(options.format ? { format: options.format } : {});
    this.file = options.file;
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.file.write(`${String(info[MESSAGE] ?? info.message)}\n`);
    next();
  }

  override close(): void {
    this.file.close();
  }
}
