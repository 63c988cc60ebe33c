// Logging with winston in the form each manager expects: <N>-prefixed stderr for journald, timestamped lines otherwise.
import winston from 'winston';
import { LogFile } from './log-file.js';

/** journal: stderr with syslog priority prefixes and no timestamps; file: timestamped, size-limited file; stderr: timestamped stderr. */
export type LogMode = 'journal' | 'file' | 'stderr';
export type Logger = winston.Logger;

export interface LoggerOptions {
  mode: LogMode;
  /** winston (npm) level: error, warn, info, http, verbose, debug, silly. Default info. */
  level?: string;
  /** The log file, for mode "file". */
  file?: string;
  /** The service name, written in timestamped lines (journald knows the unit already). */
  name?: string;
  /** Rotate the file at this size (bytes, default 5 MiB) and keep this many files (default 3). */
  maxSize?: number;
  maxFiles?: number;
}

/** sd-daemon(3) priorities for winston's npm levels. */
const PRIORITY: Record<string, number> = { error: 3, warn: 4, info: 6, http: 6, verbose: 7, debug: 7, silly: 7 };
export const LOG_LEVELS = Object.keys(PRIORITY);

/**
 * Picks the mode: journal when stderr goes to journald (JOURNAL_STREAM) or systemd activated us (LISTEN_PID
 * without the handoff marker; call this before detection removes it); else the file if one is given; else stderr.
 */
export function chooseLogMode(env: NodeJS.ProcessEnv, file?: string): LogMode {
  if (env.JOURNAL_STREAM || (env.LISTEN_PID && env.INITSOCK_ACTIVATION !== 'handoff')) return 'journal';
  return file ? 'file' : 'stderr';
}

/** The extra fields of a log call, as " {json}", or nothing. */
function meta(info: winston.Logform.TransformableInfo): string {
  const { level: _l, message: _m, timestamp: _t, ...rest } = info;
  return Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
}

const journalFormat = winston.format.printf((info) => `<${PRIORITY[info.level] ?? 6}>${String(info.message)}${meta(info)}`);

function stampedFormat(name: string): winston.Logform.Format {
  return winston.format.combine(
    winston.format.timestamp(),
    winston.format.printf((info) => `${String(info.timestamp)} ${info.level} [${name}] ${String(info.message)}${meta(info)}`),
  );
}

/** The Console transport with every level on stderr (stdout stays free for the app). */
function stderrTransport(format: winston.Logform.Format): winston.transport {
  return new winston.transports.Console({ format, stderrLevels: LOG_LEVELS });
}

export function createLogger(options: LoggerOptions): Logger {
  const name = options.name ?? 'initsock-worker';
  const transport = options.mode === 'journal' ? stderrTransport(journalFormat)
    : options.mode === 'file' && options.file
      ? new LogFile({ filename: options.file, format: stampedFormat(name), maxSize: options.maxSize ?? 5 * 1024 * 1024,
        maxFiles: options.maxFiles ?? 3 })
      : stderrTransport(stampedFormat(name));
  return winston.createLogger({ level: options.level ?? 'info', transports: [transport], exitOnError: false });
}

/**
 * Flushes the logger before exit: ends it and waits until each transport has written everything, but never longer
 * than `timeoutMs` (a stuck disk must not keep a stopping worker alive). The logger accepts no lines afterwards.
 */
export function flushLogger(logger: Logger, timeoutMs = 2000): Promise<void> {
  const finished = logger.transports.map((t) => new Promise<void>((resolve) => {
    t.once('finish', () => resolve());
    t.once('error', () => resolve());
  }));
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs); // ref'd on purpose: the caller exits with its own code after this
    void Promise.all(finished).then(() => { clearTimeout(timer); resolve(); });
    logger.end();
  });
}
