// The runtime's logger: winston in the form each manager expects, loaded after start-up so it never delays the first request.
import { LOG_FLUSH_MS, LOG_LEVELS } from '../contract/index.js';
import { systemClock, type Clock } from './clock.js';
import { RotatingFile } from './rotating-file.js';
import type * as WinstonSide from './winston-logger.js';

/** journal: stderr with syslog priority prefixes and no timestamps; file: timestamped, size-limited file; stderr: timestamped stderr. */
export type LogMode = 'journal' | 'file' | 'stderr';
export { LOG_LEVELS };
type Meta = Record<string, unknown>;

/** What the runtime logs through. A winston logger fits too, so serve({ logger }) accepts your own. */
export interface Logger {
  log(level: string, message: string, meta?: Meta): unknown;
  error(message: string, meta?: Meta): unknown;
  warn(message: string, meta?: Meta): unknown;
  info(message: string, meta?: Meta): unknown;
  debug(message: string, meta?: Meta): unknown;
}

export interface LoggerOptions {
  mode: LogMode;
  /** winston (npm) level: error, warn, info, http, verbose, debug, silly. Default info. */
  level?: string;
  /** The log file, for mode "file". */
  file?: string;
  /** The service name, written in timestamped lines (journald knows the unit already). */
  name?: string;
  /** Rotate the file at this size (bytes, default 5 MiB) and keep this many files in all (default 3). */
  maxSize?: number;
  maxFiles?: number;
  /** The open file mode "file" writes to (createLogger opens it, so a bad path fails at start-up). */
  sink?: RotatingFile;
}

/**
 * Picks the mode: journal when stderr goes to journald (JOURNAL_STREAM) or systemd activated us (LISTEN_PID
 * without the handoff marker; call this before detection removes it); else the file if one is given; else stderr.
 */
export function chooseLogMode(env: NodeJS.ProcessEnv, file?: string): LogMode {
  if (env.JOURNAL_STREAM || (env.LISTEN_PID && env.INITSOCK_ACTIVATION !== 'handoff')) return 'journal';
  return file ? 'file' : 'stderr';
}

/** winston is imported this long after start-up (or at the first flush), off the path of the first request. */
const WARM_UP_MS = 250;

/** Queues lines until winston is loaded, then hands them over in order. */
class DeferredLogger implements Logger {
  private queue: Array<[string, string, Meta | undefined]> = [];
  private real: ReturnType<typeof WinstonSide.buildWinston> | undefined;
  private loading: Promise<typeof WinstonSide> | undefined;

  get sink(): RotatingFile | undefined {
    return this.options.sink;
  }

  constructor(private readonly options: LoggerOptions) {
    setTimeout(() => void this.load(), WARM_UP_MS).unref();
  }

  log(level: string, message: string, meta?: Meta): void {
    if (this.real) this.real.log(level, message, meta ?? {});
    else this.queue.push([level, message, meta]);
  }
  error(message: string, meta?: Meta): void {
    this.log('error', message, meta);
  }
  warn(message: string, meta?: Meta): void {
    this.log('warn', message, meta);
  }
  info(message: string, meta?: Meta): void {
    this.log('info', message, meta);
  }
  debug(message: string, meta?: Meta): void {
    this.log('debug', message, meta);
  }
  /** Lets hot paths (a line per request) skip building a message that would be dropped. */
  isLevelEnabled(level: string): boolean {
    const at = (l: string) => (LOG_LEVELS as readonly string[]).indexOf(l);
    return at(level) <= at(this.options.level ?? 'info');
  }

  load(): Promise<typeof WinstonSide> {
    this.loading ??= import('./winston-logger.js').then((side) => {
      const real = side.buildWinston(this.options);
      for (const [level, message, meta] of this.queue) real.log(level, message, meta ?? {});
      this.queue = [];
      this.real = real;
      return side;
    });
    return this.loading;
  }

  /** Loads winston if needed, writes everything, and ends the logger. If winston cannot load, queued lines go to stderr. */
  async flush(): Promise<void> {
    try {
      const side = await this.load();
      await side.endWinston(this.real!);
    } catch (err) {
      process.stderr.write(
        `initsock: cannot load the logger (${(err as Error).message}); writing queued lines as they are\n`,
      );
      for (const [level, message] of this.queue) process.stderr.write(`${level}: ${message}\n`);
      this.queue = [];
    }
  }
}

/** Creates the logger for `options`. Throws WRITE_FAILED when the log file cannot be opened (checked now, synchronously). */
export function createLogger(options: LoggerOptions): Logger {
  if (options.mode !== 'file' || !options.file || options.sink) return new DeferredLogger(options);
  const sizes = {
    ...(options.maxSize ? { maxSize: options.maxSize } : {}),
    ...(options.maxFiles ? { maxFiles: options.maxFiles } : {}),
  };
  return new DeferredLogger({ ...options, sink: new RotatingFile(options.file, sizes) });
}

/** Whether `logger` writes `level` lines (true when it cannot say), so hot paths skip building dropped messages. */
export function levelEnabled(logger: Logger, level: string): boolean {
  const check = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return typeof check !== 'function' || check.call(logger, level);
}

/** The rotating file a logger of createLogger writes to in mode "file", so the app's own output can share its bound. */
export function logFileOf(logger: Logger): RotatingFile | undefined {
  return logger instanceof DeferredLogger ? logger.sink : undefined;
}

/**
 * Flushes before exit: ends the logger and waits until everything is written, but never longer than `timeoutMs`
 * (a stuck disk must not keep a stopping worker alive). The logger accepts no lines afterwards.
 */
export function flushLogger(logger: Logger, timeoutMs = LOG_FLUSH_MS, clock: Clock = systemClock): Promise<void> {
  const flushing =
    logger instanceof DeferredLogger
      ? logger.flush()
      : typeof (logger as { end?: unknown }).end === 'function'
        ? import('./winston-logger.js').then((side) => side.endWinston(logger as never))
        : Promise.resolve();
  let timer: unknown;
  // The timer keeps the process alive on purpose: the caller exits with its own code right after this.
  const bound = new Promise<void>((resolve) => {
    timer = clock.setTimeout(resolve, timeoutMs, true);
  });
  return Promise.race([flushing.catch(() => undefined), bound]).finally(() => clock.clearTimeout(timer));
}
