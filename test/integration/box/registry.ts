// Remembers every live box's PID 1 so that a test process that exits without stop() still kills them.
const live = new Set<number>();
let hooked = false;

function killAll(): void {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** Registers a box's PID 1 (host pid). Killing it kills every process in the box's PID namespace. */
export function track(pid: number): void {
  live.add(pid);
  if (hooked) return;
  hooked = true;
  // 'exit' handlers must be synchronous: a SIGKILL is. Abrupt deaths are covered by pdeathsig in boot.sh.
  process.on('exit', killAll);
}

export function untrack(pid: number): void {
  live.delete(pid);
}
