// Validators for each installer option: every one names the option, echoes the bad value and says what to pass instead.
import { invalidValue, showValue } from '../src/error-messages.js';
import {
  isLabel,
  isServiceName,
  LABEL_RULE,
  MEMORY_MAX_HINT,
  MEMORY_MAX_PATTERN,
  SERVICE_NAME_RULE,
  TASKS_MAX_HINT,
  TASKS_MAX_PATTERN,
} from '../src/contract/index.js';
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InitsockError } from '../src/errors.js';

const show = (value: string): string => showValue(value);
const invalid = (what: string, value: string, why: string, next: string): InitsockError =>
  invalidValue(what, value, why, next);

/** Refuses newlines and NUL: in a unit file a newline starts a new directive, and NUL ends the string early. */
export function singleLine(what: string, value: string): string {
  if (/[\n\r\0]/.test(value)) {
    throw new InitsockError(
      'UNSAFE_VALUE',
      `${what} ${show(value)} contains a ${value.includes('\0') ? 'NUL byte' : 'newline'}, which would change the meaning of the service files. Pass a single-line value.`,
      { details: { option: what } },
    );
  }
  return value;
}

/** A service name, by the one grammar the worker and the client check too (src/contract/names.ts). */
export function validName(what: string, value: string): string {
  singleLine(what, value);
  if (!isServiceName(value))
    throw invalid(what, value, 'is not a valid name', `Use ${SERVICE_NAME_RULE} (e.g. my-worker).`);
  return value;
}

/** A launchd label: the name's characters, up to LABEL_MAX long (it names the plist file and the launchctl service). */
export function validLabel(value: string): string {
  singleLine('--label', value);
  if (!isLabel(value))
    throw invalid('--label', value, 'is not a valid label', `Use ${LABEL_RULE} (e.g. com.example.my-worker).`);
  return value;
}

/** A TCP port, 1 to 65535, digits only. */
export function validPort(value: string, what = '--port'): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw invalid(what, value, 'is not a TCP port', `Pass a whole number from 1 to 65535, e.g. ${what} 37777.`);
  return port;
}

/** Resolves `value` against `cwd` and checks it is an existing file (or directory when `dir`). */
export function existingPath(what: string, value: string, cwd: string, kind: 'file' | 'dir' | 'executable'): string {
  singleLine(what, value);
  const path = isAbsolute(value) ? value : resolve(cwd, value);
  const shown = path === value ? show(value) : `${show(value)} (${path})`;
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new InitsockError(
      'INVALID_VALUE',
      `${what} ${shown} does not exist. Pass the path of an existing ${kind === 'dir' ? 'folder' : 'file'}.`,
      { details: { option: what, value } },
    );
  }
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) {
    throw new InitsockError(
      'INVALID_VALUE',
      `${what} ${shown} is not a ${kind === 'dir' ? 'folder' : 'file'}. Pass the path of one.`,
      { details: { option: what, value } },
    );
  }
  if (kind === 'executable') {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw invalid(what, value, 'is not executable', 'Pass the path of a node binary, e.g. /usr/bin/node.');
    }
  }
  return path;
}

/** One --env KEY=VALUE: a shell-style name and a single-line value. */
export function envPair(value: string): [string, string] {
  const eq = value.indexOf('=');
  const key = eq > 0 ? value.slice(0, eq) : '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw invalid(
      '--env',
      value,
      'is not KEY=VALUE with a valid variable name',
      'Pass e.g. --env LOG_LEVEL=debug (letters, digits and _ in the name).',
    );
  }
  return [key, singleLine(`--env ${key}`, value.slice(eq + 1))];
}

/** --tasks-max: a positive whole number, a percentage of the system's limit, or "infinity" (systemd TasksMax=). */
export function validTasksMax(value: string): number | string {
  if (!TASKS_MAX_PATTERN.test(value))
    throw invalid('--tasks-max', value, 'is not a task count', `Pass ${TASKS_MAX_HINT}.`);
  return /^[0-9]+$/.test(value) ? Number(value) : value;
}

/** --memory-max: bytes with an optional K/M/G/T suffix, a percentage, or "infinity" (systemd MemoryMax=). */
export function validMemoryMax(value: string): string {
  if (!MEMORY_MAX_PATTERN.test(value))
    throw invalid('--memory-max', value, 'is not a memory size', `Pass ${MEMORY_MAX_HINT}.`);
  return value;
}
