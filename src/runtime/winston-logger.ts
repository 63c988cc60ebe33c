// The winston side of the logger, imported lazily: formats (journal <N> prefixes or timestamps), transports, and flushing.
import { DEFAULT_SERVICE_NAME } from '../contract/index.js';
import winston from 'winston';
import { LogFile } from './log-file.js';
import type { LoggerOptions } from './logger.js';

/** sd-daemon(3) priorities for winston's npm levels. */
const PRIORITY: Record<string, number> = { error: 3, warn: 4, info: 6, http: 6, verbose: 7, debug: 7, silly: 7 };

/** The extra fields of a log call, as " {json}", or nothing. */
function meta(info: winston.Logform.TransformableInfo): string {
  const { level: _l, message: _m, timestamp: _t, ...rest } = info;
  return Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
}

/**
 * journald reads stderr line by line and takes a "<N>" prefix as that line's priority; a line without one gets the
 * unit's default (info). So every line of a multi-line message (a stack trace) carries the message's priority.
 */
export function journalLines(priority: number, text: string): string {
  return text
    .split('\n')
    .map((line) => `<${priority}>${line}`)
    .join('\n');
}

const journalFormat = winston.format.printf((info) =>
  journalLines(PRIORITY[info.level] ?? 6, `${String(info.message)}${meta(info)}`),
);

function stampedFormat(name: string): winston.Logform.Format {
  return winston.format.combine(
    winston.format.timestamp(),
    winston.format.printf(
      (info) => `${String(info.timestamp)} ${info.level} [${name}] ${String(info.message)}${meta(info)}`,
    ),
  );
}

/** The Console transport with every level on stderr (stdout stays free for the app). */
function stderrTransport(format: winston.Logform.Format): winston.transport {
  return new winston.transports.Console({ format, stderrLevels: Object.keys(PRIORITY) });
}

/** Builds the winston logger for `options`. Throws WRITE_FAILED when the log file cannot be opened. */
export function buildWinston(options: LoggerOptions): winston.Logger {
  const name = options.name ?? DEFAULT_SERVICE_NAME;
  const transport =
    options.mode === 'journal'
      ? stderrTransport(journalFormat)
      : options.mode === 'file' && options.sink
        ? new LogFile({ file: options.sink, format: stampedFormat(name) })
        : stderrTransport(stampedFormat(name));
  return winston.createLogger({ level: options.level ?? 'info', transports: [transport], exitOnError: false });
}

/** Ends a winston logger and resolves once every transport has written everything (flushLogger bounds the wait). */
export function endWinston(logger: winston.Logger): Promise<void> {
  const finished = logger.transports.map(
    (t) =>
      new Promise<void>((resolve) => {
        t.once('finish', () => resolve());
        t.once('error', () => resolve());
      }),
  );
  logger.end();
  return Promise.all(finished).then(() => undefined);
}
