// Child processes the worker owns, terminated (TERM, then KILL) when the worker stops; process groups per init system.
import { CHILD_GRACE_MS } from '../contract/index.js';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { childProcess } from '../util/builtin.js';
import { systemClock, type Clock } from './clock.js';

/** Signals a process group (negative pid) or a process; false when it is already gone. */
function signal(target: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false;
  }
}

/** Polls `done` every 20 ms on `clock` until it holds or `graceMs` passed (a process group has no exit event). */
export async function waitUntil(done: () => boolean, graceMs: number, clock: Clock): Promise<void> {
  const deadline = clock.now() + graceMs;
  while (!done() && clock.now() < deadline) {
    await new Promise<void>((resolve) => {
      clock.setTimeout(resolve, Math.min(20, deadline - clock.now()), true);
    });
  }
}

interface Owned {
  child: ChildProcess;
  /** -pgid when the child leads its own group (detached), else its pid. */
  target: number;
}

/** A set of owned children. On launchd and in fallback mode no cgroup stops them for us, so the runtime does. */
export class ChildRegistry {
  private readonly owned = new Set<Owned>();
  private ownGroups = true;

  /**
   * Under launchd children stay in the job's process group: when the job dies (a crash, SIGKILL at ExitTimeOut, an
   * OOM kill) launchd SIGTERMs that whole group (AbandonProcessGroup defaults to false; core.c calls killpg), which
   * a group of their own would escape. The runtime still stops each child itself on a clean exit. Elsewhere (systemd's
   * cgroup, the fallback) each child leads a group of its own, so the runtime can stop its whole subtree.
   */
  adoptActivation(kind: string): void {
    this.ownGroups = kind !== 'launchd';
  }

  /** Starts a child the worker owns: in a process group of its own, except under launchd (see adoptActivation). */
  spawn(command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
    const detached = options.detached ?? this.ownGroups;
    const child = childProcess().spawn(command, args, { ...options, detached });
    if (child.pid === undefined) return child; // failed to start: 'error' follows, nothing to own
    const entry = { child, target: detached ? -child.pid : child.pid };
    this.owned.add(entry);
    // A detached leader may exit while its group lives on: forget the entry only once the whole group is gone.
    child.once('exit', () => {
      if (!detached || !signal(entry.target, 0)) this.owned.delete(entry);
    });
    return child;
  }

  get size(): number {
    return this.owned.size;
  }

  /** SIGTERM to every child's group, then SIGKILL to whatever is still alive after `graceMs` on `clock`. */
  async terminateAll(graceMs = CHILD_GRACE_MS, clock: Clock = systemClock): Promise<void> {
    const entries = [...this.owned];
    this.owned.clear();
    const alive = entries.filter((e) => signal(e.target, 'SIGTERM'));
    await waitUntil(() => !alive.some((e) => signal(e.target, 0)), graceMs, clock);
    for (const e of alive) signal(e.target, 'SIGKILL');
  }

  /** SIGKILL everything at once, synchronously (second signal, or the process is exiting). */
  killAll(): void {
    for (const e of this.owned) signal(e.target, 'SIGKILL');
    this.owned.clear();
  }
}

/**
 * The worker's registry: serve() terminates these children on idle exit, shutdown and crash. It is one per process,
 * kept under a global symbol, because a process can hold two copies of this module: the bundled fast worker, and
 * the package's ESM build that an --app module imports spawnChild from. Separate registries would leak the app's children.
 */
const REGISTRY_KEY = Symbol.for('initsock.ownedChildren');
export const ownedChildren: ChildRegistry = ((globalThis as Record<symbol, ChildRegistry | undefined>)[REGISTRY_KEY] ??=
  new ChildRegistry());

/** Starts a child process the worker owns (see ChildRegistry.spawn). */
export function spawnChild(command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  return ownedChildren.spawn(command, args, options);
}
