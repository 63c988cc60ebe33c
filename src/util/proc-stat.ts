// The one reader of /proc/PID/stat: "pid (comm) state ppid pgrp ...", where comm may hold spaces and ')'.
import { readFileSync, readdirSync } from 'node:fs';

/** The fields of one process's stat line that initsock reads. */
export interface ProcStat {
  pid: number;
  /** One letter: R, S, D, Z (zombie), X (dying), T... */
  state: string;
  ppid: number;
  pgrp: number;
}

/** Parses one stat line; null when it is not one (no ')' or missing fields). */
export function parseProcStat(line: string): ProcStat | null {
  const close = line.lastIndexOf(')');
  if (close < 0) return null;
  const [state = '', ppid = '', pgrp = ''] = line.slice(close + 2).split(' ');
  const pid = Number.parseInt(line, 10);
  if (!state || !/^\d+$/.test(ppid) || !Number.isInteger(pid)) return null;
  return { pid, state, ppid: Number(ppid), pgrp: Number(pgrp) };
}

/** True for a process that has exited but is not reaped yet (Z) or is being torn down (X). */
export function isDead(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X';
}

/** The stat of `pid`, null when it is gone (or /proc is absent, as on macOS). */
export function readProcStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Every process /proc lists, skipping those that exit while it is read; empty where there is no /proc. */
export function procTable(): ProcStat[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d+$/.test(n))
    .map((n) => readProcStat(Number(n)))
    .filter((p): p is ProcStat => p !== null);
}
