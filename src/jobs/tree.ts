// Stops a job's whole process tree: its process group plus every descendant (setsid ones included), TERM first, then KILL.
import { readdirSync, readFileSync } from 'node:fs';
import { reapZombie } from './libc.js';

interface Proc {
  pid: number;
  ppid: number;
  zombie: boolean;
}

/** /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'. */
function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(ppid), zombie: state === 'Z' || state === 'X' };
  } catch {
    return null; // gone between readdir and read
  }
}

/** Every process below `root` (Linux; empty elsewhere). With a subreaper root, orphans stay below it. */
export function descendants(root: number): Proc[] {
  let names: string[];
  try { names = readdirSync('/proc'); } catch { return []; }
  const procs = names.filter((n) => /^\d+$/.test(n)).map((n) => readProc(Number(n))).filter((p): p is Proc => p !== null);
  const below = new Set([root]);
  const out: Proc[] = [];
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) {
      if (!below.has(p.pid) && below.has(p.ppid)) { below.add(p.pid); out.push(p); grew = true; }
    }
  }
  return out;
}

function signal(target: number, sig: NodeJS.Signals): boolean {
  try { process.kill(target, sig); return true; } catch { return false; }
}

/** Live (non-zombie) processes of the tree: the group `pgid` and the descendants of this process. */
function alive(pgid: number | undefined): number[] {
  const pids = descendants(process.pid).filter((p) => !p.zombie).map((p) => p.pid);
  const groupAlive = pgid !== undefined && process.platform !== 'linux' && signal(-pgid, 0 as unknown as NodeJS.Signals);
  return groupAlive ? [...pids, -pgid] : pids;
}

/**
 * Sends SIGTERM to the job's group and to every descendant of this process, waits up to `graceMs` for them to go,
 * then SIGKILLs what is left and reaps the adopted orphans (libuv reaps only the children it spawned).
 */
export async function killTree(pgid: number | undefined, graceMs: number, ownChild?: number): Promise<void> {
  const sendAll = (sig: NodeJS.Signals) => {
    if (pgid !== undefined) signal(-pgid, sig);
    for (const p of alive(undefined)) signal(p, sig);
  };
  sendAll('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  if (alive(pgid).length > 0) sendAll('SIGKILL');
  for (let i = 0; i < 200 && alive(pgid).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  reapOrphans(ownChild);
}

/** Reaps zombies that are our children but not libuv's (`ownChild`, whose status libuv collects). */
export function reapOrphans(ownChild?: number): void {
  for (const p of descendants(process.pid)) {
    if (p.zombie && p.ppid === process.pid && p.pid !== ownChild) reapZombie(p.pid);
  }
}
