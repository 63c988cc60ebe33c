// Every descendant of this process, orphans included, found through /proc and stopped at exit. On Linux the process
// becomes a child subreaper, so what escapes with setsid or a double fork re-parents to it instead of to init.
import type { ChildProcess } from 'node:child_process';
import { CHILD_GRACE_MS } from '../contract/index.js';
import { childProcess } from '../util/builtin.js';
import { isDead, procTable } from '../util/proc-stat.js';
import { waitUntil } from './children.js';
import { systemClock, type Clock } from './clock.js';
import { reapPid, setChildSubreaper } from './libc-ffi.js';

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

const SPAWN_WRAPPED = Symbol.for('initsock.spawnTracked');
/** ChildProcess.prototype.spawn is public (child_process calls it) but missing from @types/node. */
type SpawnProto = ChildProcess & { spawn(...args: unknown[]): unknown; [SPAWN_WRAPPED]?: boolean };

/** The descendants of one process. adopt() turns on orphan capture; until then every method is a no-op. */
export class ProcessTree {
  private adopted = false;
  /** Children libuv started and will reap itself: reaping one here would steal its exit status (no 'exit' event). */
  private readonly libuvChildren = new Set<number>();
  private readonly onChildExit = () => this.reapOrphans();

  constructor(private readonly root = process.pid) {}

  get active(): boolean {
    return this.adopted;
  }

  /**
   * Makes the process a child subreaper (Linux), records the children libuv starts from now on, and reaps exited
   * orphans on SIGCHLD. False where that is not possible (macOS, no koffi): then only owned children are stopped.
   */
  adopt(): boolean {
    if (this.adopted) return true;
    if (this.root !== process.pid || !setChildSubreaper()) return false;
    this.trackLibuvChildren();
    process.on('SIGCHLD', this.onChildExit);
    this.adopted = true;
    return true;
  }

  /** Live descendants, nearest first (children libuv still owns included). */
  list(): number[] {
    if (!this.adopted) return [];
    const rows = procTable();
    const found: number[] = [];
    for (let parents = new Set([this.root]); parents.size > 0; ) {
      const next = rows.filter((r) => parents.has(r.ppid));
      found.push(...next.filter((r) => !isDead(r)).map((r) => r.pid));
      parents = new Set(next.map((r) => r.pid));
    }
    return found;
  }

  /** Reaps, by pid, exited children that libuv does not own: orphans re-parented here (never waitpid(-1)). */
  reapOrphans(): void {
    if (!this.adopted) return;
    for (const r of procTable())
      if (r.ppid === this.root && isDead(r) && !this.libuvChildren.has(r.pid)) reapPid(r.pid);
  }

  /** SIGTERM to every descendant, SIGKILL to those still alive after `graceMs` on `clock`; resolves with those. */
  async stop(graceMs = CHILD_GRACE_MS, clock: Clock = systemClock): Promise<number[]> {
    if (!this.adopted) return [];
    for (const pid of this.list()) signal(pid, 'SIGTERM');
    await waitUntil(
      () => {
        this.reapOrphans();
        return this.list().length === 0;
      },
      graceMs,
      clock,
    );
    const stubborn = this.list();
    this.killAll();
    return stubborn;
  }

  /** SIGKILL every descendant at once (the process is exiting). Repeated, for those forked while we signalled. */
  killAll(): void {
    for (let round = 0, pids = this.list(); round < 3 && pids.length > 0; round += 1, pids = this.list()) {
      for (const pid of pids) signal(pid, 'SIGKILL');
      this.reapOrphans();
    }
  }

  /** Wraps ChildProcess.prototype.spawn once per process: every async spawn, exec and fork goes through it. */
  private trackLibuvChildren(): void {
    const proto = childProcess().ChildProcess.prototype as SpawnProto;
    if (proto[SPAWN_WRAPPED]) return;
    const original = proto.spawn;
    const owned = this.libuvChildren;
    proto.spawn = function spawn(this: ChildProcess, ...args: unknown[]) {
      const result = original.apply(this, args);
      const pid = this.pid;
      if (pid !== undefined) {
        owned.add(pid);
        this.once('exit', () => owned.delete(pid));
      }
      return result;
    };
    proto[SPAWN_WRAPPED] = true;
  }
}

/** The worker's tree, one per process (under a global symbol, like the owned-children registry). */
const TREE_KEY = Symbol.for('initsock.processTree');
export const processTree: ProcessTree = ((globalThis as Record<symbol, ProcessTree | undefined>)[TREE_KEY] ??=
  new ProcessTree());

/**
 * Adopts the worker's descendants when no init system holds them in a cgroup: in fallback mode (handoff) and after
 * --listen (systemd's cgroup and KillMode=mixed take care of a socket-activated worker's). Logs where it cannot.
 */
export function adoptUnmanaged(kind: string | undefined, logger: { debug(message: string): unknown }): void {
  if ((kind !== 'handoff' && kind !== 'listen') || processTree.adopt()) return;
  logger.debug('cannot become a child subreaper here: at exit only children started with spawnChild are stopped');
}
