// Tells which runtime a command runs (node, bun or python), from its file name or its #! line, so --adopt can pick the preload.
import { closeSync, openSync, readSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { InitsockError } from '../errors.js';
import type { Runtime } from './program.js';

const NAMES: Array<[RegExp, Runtime]> = [
  [/^node(js)?(-?\d+(\.\d+)*)?$/, 'node'],
  [/^bun$/, 'bun'],
  [/^python(\d+(\.\d+)*)?$/, 'python'],
];

const byName = (path: string): Runtime | null => NAMES.find(([re]) => re.test(basename(path)))?.[1] ?? null;

/** The first line of `path` when it starts with "#!" (at most 256 bytes), else null. */
function shebang(path: string): string | null {
  const buf = Buffer.alloc(256);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const text = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    return text.startsWith('#!') ? (text.slice(2).split('\n')[0] ?? '').trim() : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The interpreter a #! line runs: its first word, or for `/usr/bin/env [-S] [VAR=x] prog`, prog. */
export function shebangInterpreter(line: string): string | null {
  const words = line.split(/\s+/).filter(Boolean);
  if (words[0] === undefined || basename(words[0]) !== 'env') return words[0] ?? null;
  return words.slice(1).find((w) => !w.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? null;
}

/** The runtime of `path` (absolute): by its name or its target's name, else by the interpreter on its #! line. */
export function detectRuntime(path: string): Runtime | null {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    /* checked by the caller */
  }
  const direct = byName(path) ?? byName(real);
  if (direct) return direct;
  const line = shebang(real);
  const interpreter = line === null ? null : shebangInterpreter(line);
  return interpreter === null ? null : byName(interpreter);
}

/** detectRuntime, or INVALID_VALUE saying what --adopt supports and what to use instead. */
export function adoptRuntime(path: string): Runtime {
  const runtime = detectRuntime(path);
  if (runtime) return runtime;
  throw new InitsockError(
    'INVALID_VALUE',
    `--adopt cannot tell which runtime ${path} runs: it is not node, bun or python, and ` +
      'it has no #! line naming one. --adopt has preloads for node, bun and python; run the program through one ' +
      '(--adopt -- node server.js), use --exec if it takes the inherited socket itself, or --proxy-port PORT to put initsock in front of it.',
    { details: { option: '--adopt', value: path } },
  );
}
