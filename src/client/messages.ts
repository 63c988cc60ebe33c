// The client's errors: each says which modes were tried, what failed, and the command to run next.
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { InitsockError, type ErrorCode } from '../errors.js';
import { formatAddress } from '../service/address.js';
import type { InstalledAddress } from '../service/types.js';
import type { InstalledService } from './installed.js';

/** How the client tried to reach the worker. */
export type Mode = 'running' | 'fallback' | 'installed-service';

const MODE_WORDS: Record<Mode, string> = {
  running: 'already-running worker',
  fallback: 'fallback activation',
  'installed-service': 'installed service',
};

/** What every message needs to know about the call. */
export interface Situation {
  name: string;
  host: string;
  port: number;
  /** Where service `name` is installed to listen, when it is. */
  installed: InstalledAddress | null;
  tried: Mode[];
  attempts: number;
  logFile: string;
}

function fail(code: ErrorCode, s: Situation, why: string, next: string, cause?: unknown): InitsockError {
  const tried = s.tried.map((m) => MODE_WORDS[m]).join(', then ');
  const message =
    `cannot get an answer from worker "${s.name}" on ${formatAddress(s)} (tried: ${tried}; ` +
    `${s.attempts} attempt${s.attempts === 1 ? '' : 's'}): ${why}. ${elsewhere(s)}${next}`;
  return new InitsockError(code, message, {
    cause,
    details: {
      name: s.name,
      host: s.host,
      port: s.port,
      installed: s.installed,
      modes: s.tried,
      attempts: s.attempts,
      logFile: s.logFile,
    },
  });
}

/** When the address tried is not the installed one, both are named, with the flags that reach the installed one. */
function elsewhere(s: Situation): string {
  const i = s.installed;
  if (i === null || (i.host === s.host && i.port === s.port)) return '';
  return (
    `Note: "${s.name}" is installed on ${formatAddress(i)} (${i.file}), not on ${formatAddress(s)}; drop --port and --host ` +
    `(and INITSOCK_PORT, INITSOCK_HOST) to use it, or pass --port ${i.port}${i.host === '127.0.0.1' ? '' : ` --host ${i.host}`}. `
  );
}

export function noFallbackError(s: Situation): InitsockError {
  return fail(
    'UNREACHABLE',
    s,
    'nothing listens on the port and fallback activation is off',
    `Install the service (\`install-service --name ${s.name}\`), or drop --no-fallback to let the client start a worker.`,
  );
}

export function installedNotRunningError(s: Situation, installed: InstalledService): InitsockError {
  return fail(
    'SERVICE_INSTALLED_NOT_RUNNING',
    s,
    `nothing listens on the port, but a ${installed.init} service for it is installed (${installed.path}), so the client ` +
      'will not start a second, unmanaged worker beside it',
    `Run \`install-service status --name ${s.name}\` to see why the service is not listening, then ` +
      `\`install-service repair --name ${s.name}\` (or \`install-service uninstall --name ${s.name}\` to use the fallback instead).`,
  );
}

/** The worker wants a token (401) and the token file it was installed with is gone. */
export function missingTokenError(s: Situation, path: string): InitsockError {
  return new InitsockError(
    'BAD_TOKEN_FILE',
    `worker "${s.name}" on ${formatAddress(s)} answered 401: it requires the bearer ` +
      `token in ${path}, and that file is missing, so no token was sent. Run \`install-service repair --name ${s.name}\` ` +
      '(it creates a new token and restarts the worker so both use it).',
    { details: { name: s.name, path } },
  );
}

export function timeoutError(s: Situation, timeoutMs: number): InitsockError {
  return fail(
    'TIMEOUT',
    s,
    `no complete response within ${timeoutMs} ms`,
    `The worker may be busy, stuck or still starting: pass a longer --timeout, check \`install-service status --name ${s.name}\`` +
      `, or read the fallback worker's log ${s.logFile}.`,
  );
}

/** `logOffset`: the log's size when the worker was spawned, so the message quotes what this worker wrote. */
export function workerDiedError(s: Situation, pid: number | undefined, how: string, logOffset: number): InitsockError {
  const output = logSince(s.logFile, logOffset);
  return fail(
    'UNREACHABLE',
    s,
    `the fallback worker this client started (pid ${pid ?? '?'}) ${how} before answering`,
    `Its log is ${s.logFile}${output ? `; it wrote:\n${output}` : ' (it wrote nothing)'}`,
  );
}

export function brokenError(s: Situation, errno: string, started: boolean, cause: unknown): InitsockError {
  const why = started
    ? `the connection broke (${errno}) after the response had started, so the request was not retried`
    : `the connection failed with ${errno}`;
  return fail(
    'UNREACHABLE',
    s,
    why,
    `Retry if the request is safe to repeat; see \`install-service status --name ${s.name}\`` +
      ` or the fallback worker's log ${s.logFile}.`,
    cause,
  );
}

export function exhaustedError(s: Situation, errno: string): InitsockError {
  return fail(
    'UNREACHABLE',
    s,
    `every connection was refused or reset before any response (last: ${errno}); workers kept ` +
      'closing the port without answering',
    `Read the fallback worker's log ${s.logFile}, and check \`install-service status --name ${s.name}\`.`,
  );
}

/** The first lines written to a log file after `offset` (at most 2 KiB, 12 lines), indented; '' when none. */
export function logSince(path: string, offset: number, lines = 12): string {
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const from = offset <= size ? offset : 0; // the log was rotated meanwhile
      const buf = Buffer.alloc(Math.min(size - from, 2048));
      const n = readSync(fd, buf, 0, buf.length, from);
      return buf
        .subarray(0, n)
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .slice(0, lines)
        .map((l) => `  ${l}`)
        .join('\n')
        .trimEnd();
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}
