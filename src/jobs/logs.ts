// `initsock job logs KEY`: the journal of the key's unit under systemd, else the tail of its bounded log file.
import { childProcess } from '../util/builtin.js';
import { openSync, readFileSync, readSync, statSync, closeSync } from 'node:fs';
import { jobId, jobIdentifier } from './key.js';
import type { JobMode } from './mode.js';
import { jobFiles } from './paths.js';

export interface LogsOptions {
  dir: string;
  mode: JobMode;
  env: NodeJS.ProcessEnv;
  lines: number;
  follow: boolean;
  out(text: string | Buffer): void;
}

/**
 * The journalctl command for a key. It matches the unit's SyslogIdentifier= (set by the launch): the unit is gone
 * after each run (--collect) but its entries stay, and an identifier is found wherever journald filed them (a system
 * user's user units land in the system journal, which `journalctl --user` does not read).
 */
export function journalArgv(key: string, lines: number, follow: boolean): string[] {
  return ['journalctl', '--no-pager', '-t', jobIdentifier(jobId(key)), '-n', String(lines), ...(follow ? ['-f'] : [])];
}

/** Shows the logs; resolves with the exit code (journalctl's, or 0). */
export async function showLogs(key: string, o: LogsOptions): Promise<number> {
  if (o.mode === 'systemd') {
    const [file = 'journalctl', ...args] = journalArgv(key, o.lines, o.follow);
    const child = childProcess().spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'], env: o.env });
    child.stdout.on('data', (d: Buffer) => o.out(d));
    return new Promise((resolve) => {
      child.once('error', () => resolve(127));
      child.once('exit', (code) => resolve(code ?? 1));
    });
  }
  const path = jobFiles(o.dir, jobId(key)).log;
  const text = [`${path}.1`, path]
    .map((p) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return '';
      }
    })
    .join('');
  const tail = text
    .split('\n')
    .slice(text.endsWith('\n') ? -o.lines - 1 : -o.lines)
    .join('\n');
  o.out(tail);
  if (o.follow) await follow(path, Buffer.byteLength(text) - safeSize(`${path}.1`), o.out);
  return 0;
}

function safeSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Prints what is appended to `path` from `offset` on, until the process is interrupted; restarts at 0 after a rotation. */
async function follow(path: string, offset: number, out: (b: Buffer) => void): Promise<never> {
  for (let pos = offset; ; await new Promise((r) => setTimeout(r, 200))) {
    const size = safeSize(path);
    if (size < pos) pos = 0;
    if (size === pos) continue;
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(size - pos);
    readSync(fd, buf, 0, buf.length, pos);
    closeSync(fd);
    out(buf);
    pos = size;
  }
}
