// Validators for each installer option: every one names the option, echoes the bad value and says what to pass instead.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InitsockError } from '../src/errors.js';

const show = (value: string): string => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

function invalid(what: string, value: string, why: string, next: string): InitsockError {
  return new InitsockError('INVALID_VALUE', `${what} ${show(value)} ${why}. ${next}`, { details: { option: what, value } });
}

/** Refuses newlines and NUL: in a unit file a newline starts a new directive, and NUL ends the string early. */
export function singleLine(what: string, value: string): string {
  if (/[\n\r\0]/.test(value)) {
    throw new InitsockError('UNSAFE_VALUE',
      `${what} ${show(value)} contains a ${value.includes('\0') ? 'NUL byte' : 'newline'}, which would change the meaning of the service files. Pass a single-line value.`,
      { details: { option: what } });
  }
  return value;
}

/** A service or label name: [A-Za-z0-9._-], not starting with "." or "-", at most 100 characters. */
export function validName(what: string, value: string): string {
  singleLine(what, value);
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/.test(value)) {
    throw invalid(what, value, 'is not a valid name', 'Use 1 to 100 letters, digits, ".", "_" or "-", starting with a letter, digit or "_" (e.g. my-worker).');
  }
  return value;
}

/** A TCP port, 1 to 65535, digits only. */
export function validPort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535)) throw invalid('--port', value, 'is not a TCP port', 'Pass a whole number from 1 to 65535, e.g. --port 37777.');
  return port;
}

/** Resolves `value` against `cwd` and checks it is an existing file (or directory when `dir`). */
export function existingPath(what: string, value: string, cwd: string, kind: 'file' | 'dir' | 'executable'): string {
  singleLine(what, value);
  const path = isAbsolute(value) ? value : resolve(cwd, value);
  const shown = path === value ? show(value) : `${show(value)} (${path})`;
  let st;
  try { st = statSync(path); } catch {
    throw new InitsockError('INVALID_VALUE', `${what} ${shown} does not exist. Pass the path of an existing ${kind === 'dir' ? 'folder' : 'file'}.`, { details: { option: what, value } });
  }
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) {
    throw new InitsockError('INVALID_VALUE', `${what} ${shown} is not a ${kind === 'dir' ? 'folder' : 'file'}. Pass the path of one.`, { details: { option: what, value } });
  }
  if (kind === 'executable') {
    try { accessSync(path, constants.X_OK); } catch { throw invalid(what, value, 'is not executable', 'Pass the path of a node binary, e.g. /usr/bin/node.'); }
  }
  return path;
}

/** One --env KEY=VALUE: a shell-style name and a single-line value. */
export function envPair(value: string): [string, string] {
  const eq = value.indexOf('=');
  const key = eq > 0 ? value.slice(0, eq) : '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw invalid('--env', value, 'is not KEY=VALUE with a valid variable name', 'Pass e.g. --env LOG_LEVEL=debug (letters, digits and _ in the name).');
  }
  return [key, singleLine(`--env ${key}`, value.slice(eq + 1))];
}

const PERCENT = /^([1-9][0-9]?|100)%$/;

/** --tasks-max: a positive whole number, a percentage of the system's limit, or "infinity" (systemd TasksMax=). */
export function validTasksMax(value: string): number | string {
  if (value === 'infinity' || PERCENT.test(value)) return value;
  if (/^[1-9][0-9]{0,6}$/.test(value)) return Number(value);
  throw invalid('--tasks-max', value, 'is not a task count', 'Pass a whole number above 0 (e.g. 512), a percentage (e.g. 10%) or infinity.');
}

/** --memory-max: bytes with an optional K/M/G/T suffix, a percentage, or "infinity" (systemd MemoryMax=). */
export function validMemoryMax(value: string): string {
  if (value === 'infinity' || /^[1-9][0-9]{0,14}[KMGT]?$/.test(value) || PERCENT.test(value)) return value;
  throw invalid('--memory-max', value, 'is not a memory size', 'Pass bytes with an optional K, M, G or T suffix (e.g. 512M), a percentage (e.g. 20%), or infinity.');
}
