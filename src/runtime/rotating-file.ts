// A size-limited file written synchronously: rotates worker.log → .1 → .2 so the folder never holds more than maxFiles × maxSize.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InitsockError } from '../errors.js';

/** 5 MiB per file, 3 files in all: the bound SECURITY.md and the README promise for worker.log. */
export const LOG_MAX_SIZE = 5 * 1024 * 1024;
export const LOG_MAX_FILES = 3;

export interface RotatingFileOptions {
  /** Rotate before a write would take the file past this many bytes. */
  maxSize?: number;
  /** Files kept in all: NAME, NAME.1, ... NAME.<maxFiles-1>. */
  maxFiles?: number;
}

export class RotatingFile {
  private fd: number;
  private size: number;
  readonly maxSize: number;
  readonly maxFiles: number;

  /** Opens (appends to) `path` with mode 0600, creating its folder. Throws WRITE_FAILED when it cannot. */
  constructor(
    readonly path: string,
    options: RotatingFileOptions = {},
  ) {
    this.maxSize = options.maxSize ?? LOG_MAX_SIZE;
    this.maxFiles = options.maxFiles ?? LOG_MAX_FILES;
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    } catch (err) {
      throw new InitsockError(
        'WRITE_FAILED',
        `cannot open the log file ${path}: ${(err as Error).message}. ` +
          "Fix its folder's permissions or pass another --log-file.",
        { cause: err },
      );
    }
  }

  /** The file's identity, to tell whether an inherited stdout or stderr is this same file. */
  identity(): { dev: number; ino: number } {
    const st = fstatSync(this.fd);
    return { dev: st.dev, ino: st.ino };
  }

  /** Appends `data`, rotating first when it would not fit; a write larger than a whole file is split. Never throws. */
  write(data: string | Uint8Array): void {
    let buf = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    try {
      while (buf.length > 0) {
        if (this.size > 0 && this.size + Math.min(buf.length, this.maxSize) > this.maxSize) this.rotate();
        const part = buf.subarray(0, this.maxSize - this.size);
        writeSync(this.fd, part);
        this.size += part.length;
        buf = buf.subarray(part.length);
      }
    } catch (err) {
      // Logging must never take the worker down; say so on the original stderr.
      try {
        writeSync(2, `initsock: cannot write the log file ${this.path}: ${(err as Error).message}\n`);
      } catch {
        /* nowhere to say it */
      }
    }
  }

  /** NAME.(n-2) → .(n-1), ..., NAME → NAME.1, then a fresh NAME. */
  private rotate(): void {
    closeSync(this.fd);
    const name = (i: number) => (i === 0 ? this.path : `${this.path}.${i}`);
    rmSync(name(this.maxFiles - 1), { force: true });
    for (let i = this.maxFiles - 2; i >= 0; i--) {
      try {
        renameSync(name(i), name(i + 1));
      } catch {
        /* that generation does not exist yet */
      }
    }
    if (this.maxFiles <= 1) rmSync(this.path, { force: true });
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
