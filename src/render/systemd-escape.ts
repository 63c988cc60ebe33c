// The one module that escapes values for systemd unit files: quoting, specifiers (%), variables ($) and refusals.
import { invalidValue } from '../error-messages.js';
import { isServiceName, LISTEN_FDNAMES, LISTEN_FDS, LISTEN_PID, SERVICE_NAME_RULE } from '../contract/index.js';
import { isIP } from 'node:net';
import { posix } from 'node:path';
import { InitsockError } from '../errors.js';

/*
 * What systemd 252 does with each kind of value (systemd.syntax(7), systemd.service(5), systemd.exec(5),
 * src/core/load-fragment.c), and so what we write:
 * - ExecStart= words are unquoted with C-style escapes ("..." with \\ and \"), then % specifiers are expanded
 *   (%% → %), and at exec time $VAR/${VAR} are expanded ($$ → $). We write every word as "..." with \ and "
 *   backslash-escaped, then double every % and $. Quoted words are never a ";" separator or a "-@:+!" prefix.
 * - The executable itself (argv[0]) may not contain quotes, backslashes or control characters ("Executable name
 *   contains special characters"), and it is not $-expanded while argv[0] is: so those characters and $ are refused.
 * - Environment= assignments are unquoted the same way and % is expanded, but "$ has no special meaning":
 *   we write "KEY=value" with \ and " escaped and % doubled, and $ left alone.
 * - Free text (Description=) and WorkingDirectory= are taken raw: no unquoting, only % expansion, the line is
 *   stripped of surrounding whitespace, and a trailing backslash joins the next line. We double %, and refuse a
 *   trailing backslash (and, for paths, trailing whitespace) rather than change the value.
 * - Any line break or NUL would end the directive and start a new one: refused everywhere ("Pass a single-line
 *   value."). Other control characters are refused too (systemd rejects them in executables and env values).
 *   Non-ASCII is written as UTF-8, which systemd accepts as is.
 */

const LINE_BREAK = /[\n\r\0]/;
/** Far below systemd's 1 MB line limit, far above any real path, argument or variable. */
const MAX_VALUE_BYTES = 32 * 1024;
const CONTROL = /[\x00-\x1f\x7f]/;
const LONE_SURROGATE = /\p{Cs}/u;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Set by systemd itself for every activated process; a user value would be overwritten or confuse activation. */
const RESERVED_ENV = new Set([LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES]);

function refuse(
  code: 'UNSAFE_VALUE' | 'INVALID_VALUE',
  field: string,
  value: string,
  why: string,
  fix: string,
): InitsockError {
  return invalidValue(field, value, why, fix, code);
}

/** Refuses a value that could break out of its directive: line breaks, NUL, other control characters, broken Unicode. */
export function assertSafeValue(value: string, field: string): string {
  if (typeof value !== 'string') throw refuse('INVALID_VALUE', field, String(value), 'is not a string', 'Pass text.');
  if (LINE_BREAK.test(value)) {
    throw refuse(
      'UNSAFE_VALUE',
      field,
      value,
      'contains a newline, carriage return or NUL, which would start a new directive',
      'Pass a single-line value.',
    );
  }
  if (CONTROL.test(value)) {
    throw refuse(
      'UNSAFE_VALUE',
      field,
      value,
      'contains a control character (such as a tab or escape), which systemd rejects',
      'Remove it.',
    );
  }
  if (LONE_SURROGATE.test(value)) {
    throw refuse(
      'UNSAFE_VALUE',
      field,
      value,
      'is not valid Unicode (it has a lone surrogate), so it cannot be written as UTF-8',
      'Pass valid text.',
    );
  }
  if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
    throw refuse(
      'INVALID_VALUE',
      field,
      value,
      `is ${Buffer.byteLength(value)} bytes long`,
      `Use at most ${MAX_VALUE_BYTES} bytes.`,
    );
  }
  return value;
}

/** Wraps a word in double quotes with \ and " backslash-escaped (systemd.syntax(7) "Quoting"). */
function quoteWord(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const doublePercent = (s: string): string => s.replace(/%/g, '%%');

/** One ExecStart= argument (not the executable): quoted, then % → %% and $ → $$. */
export function escapeExecArg(value: string, field: string): string {
  return quoteWord(assertSafeValue(value, field)).replace(/[%$]/g, (c) => c + c);
}

/** Refuses a path that is not absolute and normalized (systemd would simplify it, changing the value). */
export function assertAbsolutePath(value: string, field: string): string {
  assertSafeValue(value, field);
  const normalized =
    value.startsWith('/') && posix.normalize(value) === value && (value === '/' || !value.endsWith('/'));
  if (!normalized) {
    throw refuse(
      'INVALID_VALUE',
      field,
      value,
      'is not a normalized absolute path',
      'Pass the full path as path.resolve() prints it, like /home/me/app/worker.js.',
    );
  }
  // systemd's path_is_valid(): at most PATH_MAX - 1 bytes, each name at most NAME_MAX (255) bytes.
  if (Buffer.byteLength(value) > 4095 || value.split('/').some((part) => Buffer.byteLength(part) > 255)) {
    throw refuse(
      'INVALID_VALUE',
      field,
      value,
      'is longer than a path can be (4095 bytes, 255 per name)',
      'Use a shorter path.',
    );
  }
  return value;
}

/** The executable of ExecStart= (argv[0]): an absolute path without quotes, backslashes or $, quoted, % doubled. */
export function escapeExecutable(value: string, field: string): string {
  assertAbsolutePath(value, field);
  if (/["'\\$]/.test(value)) {
    throw refuse(
      'UNSAFE_VALUE',
      field,
      value,
      'contains a quote, backslash or $, which systemd does not allow in the program it runs',
      'Use a path without them (for example, a symlink to it).',
    );
  }
  return doublePercent(quoteWord(value));
}

/** A full ExecStart= value: the executable, then each argument. `fields` name each word in errors. */
export function escapeExecStart(argv: readonly string[], fields: readonly string[]): string {
  const [exe, ...args] = argv;
  if (exe === undefined)
    throw new InitsockError('INVALID_VALUE', 'ExecStart needs a program to run. Pass the node binary.');
  return [
    escapeExecutable(exe, fields[0] ?? 'ExecStart'),
    ...args.map((a, i) => escapeExecArg(a, fields[i + 1] ?? 'ExecStart argument')),
  ].join(' ');
}

/** Refuses an environment variable name systemd would reject (letters, digits, _; not starting with a digit). */
export function assertEnvKey(key: string, field: string): string {
  assertSafeValue(key, field);
  if (!ENV_KEY.test(key)) {
    throw refuse(
      'INVALID_VALUE',
      field,
      key,
      'is not a valid environment variable name',
      'Use letters, digits and _, not starting with a digit (like MY_VAR).',
    );
  }
  if (RESERVED_ENV.has(key)) {
    throw refuse('INVALID_VALUE', field, key, 'is set by systemd itself for socket activation', 'Leave it out.');
  }
  return key;
}

/** One Environment= value: "KEY=value", quoted, % doubled; $ stays as is (Environment= does not expand it). */
export function escapeEnvAssignment(key: string, value: string, field: string): string {
  assertEnvKey(key, `${field} name`);
  assertSafeValue(value, `${field} ${key}`);
  return doublePercent(quoteWord(`${key}=${value}`));
}

/** Free text (Description=): % doubled, surrounding spaces dropped (systemd strips them anyway). */
export function escapeText(value: string, field: string): string {
  const text = assertSafeValue(value, field).replace(/^ +| +$/g, '');
  if (text.endsWith('\\')) {
    throw refuse(
      'UNSAFE_VALUE',
      field,
      value,
      'ends with a backslash, which systemd reads as "continue on the next line"',
      'Remove the trailing backslash.',
    );
  }
  return doublePercent(text);
}

/** A raw (unquoted) path such as WorkingDirectory=: normalized, absolute, % doubled. */
export function escapeRawPath(value: string, field: string): string {
  assertAbsolutePath(value, field);
  if (/[ \\]$/.test(value)) {
    throw refuse(
      'UNSAFE_VALUE',
      field,
      value,
      'ends with whitespace or a backslash, which systemd would strip or read as a line continuation',
      'Use a path that does not end that way.',
    );
  }
  return doublePercent(value);
}

/** A service name: [A-Za-z0-9._-], not starting with "." or "-" (it becomes a unit name and a systemctl argument). */
export function assertName(value: string, field: string): string {
  assertSafeValue(value, field);
  if (!isServiceName(value)) {
    throw refuse(
      'INVALID_VALUE',
      field,
      value,
      'is not a valid name',
      `Use ${SERVICE_NAME_RULE} (like initsock-worker).`,
    );
  }
  return value;
}

/** ListenStream= for an IP literal and port: "127.0.0.1:37777", or "[::1]:37777" for IPv6. Host names are refused. */
export function listenAddress(host: string, port: number, field = '--host'): string {
  assertSafeValue(host, field);
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = bare.includes('%') ? 0 : isIP(bare);
  if (family === 0) {
    throw refuse(
      'INVALID_VALUE',
      field,
      host,
      'is not an IP address (systemd listens on addresses, not host names)',
      'Use 127.0.0.1 or ::1.',
    );
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw refuse(
      'INVALID_VALUE',
      '--port',
      String(port),
      'is not a TCP port',
      'Use a whole number from 1 to 65535, like 37777.',
    );
  }
  return family === 6 ? `[${bare}]:${port}` : `${bare}:${port}`;
}
