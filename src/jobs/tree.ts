// Stops a job's whole process tree: its process group plus every descendant (setsid ones included), TERM first, then KILL.
import { waitUntil } from '../runtime/children.js';
import { systemClock } from '../runtime/clock.js';
import { processTree } from '../runtime/descendants.js';

/** How long, after SIGKILL, the runner waits for the killed processes to be gone before it reports the run. */
const AFTER_KILL_MS = 2000;

function signal(target: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while the group `pgid` has a member. Asked only off Linux, where the runner is no subreaper and the group is
 * all it can see; on Linux every member is a descendant, which the process tree finds and stops.
 */
function groupAlive(pgid: number | undefined): boolean {
  return pgid !== undefined && process.platform !== 'linux' && signal(-pgid, 0);
}

/**
 * Sends SIGTERM to the job's group and to every descendant of this process, waits up to `graceMs` for them to go,
 * then SIGKILLs what is left and reaps the adopted orphans (the process tree never reaps libuv's own children).
 */
export async function killTree(pgid: number | undefined, graceMs: number): Promise<void> {
  if (pgid !== undefined) signal(-pgid, 'SIGTERM');
  const started = systemClock.now();
  const stubborn = await processTree.stop(graceMs);
  await waitUntil(() => !groupAlive(pgid), graceMs - (systemClock.now() - started), systemClock);
  if (pgid !== undefined && (stubborn.length > 0 || groupAlive(pgid))) signal(-pgid, 'SIGKILL');
  await waitUntil(
    () => {
      processTree.reapOrphans();
      return processTree.list().length === 0 && !groupAlive(pgid);
    },
    AFTER_KILL_MS,
    systemClock,
  );
}
