// --wait: follow a key's status until the run that covers a trigger has ended, and hand back how it ended.
import { existsSync } from 'node:fs';
import { InitsockError } from '../errors.js';
import { isLocked, lock } from './flock.js';
import { launchAlive } from './launch.js';
import type { JobFiles } from './paths.js';
import { readJson, type JobRequest, type JobStatus, type RunResult } from './state.js';
import type { TriggerContext } from './trigger.js';

const POLL_MS = 50;
/** How often the waiter checks that a runner is still there to do the run. */
const HEALTH_EVERY_MS = 500;

export interface WaitTarget {
  key: string;
  run: number;
  files: JobFiles;
}

/** Resolves with the result of run `target.run`; TIMEOUT at `deadline`; JOB_CANCELLED when nothing will ever run it. */
export async function waitForRun(
  target: WaitTarget,
  ctx: TriggerContext,
  deadline: number,
  retrigger: () => Promise<unknown>,
): Promise<RunResult> {
  for (let nextHealth = Date.now() + HEALTH_EVERY_MS; ; await new Promise((r) => setTimeout(r, POLL_MS))) {
    const status = readJson<JobStatus>(target.files.status);
    const result = status?.runs.find((r) => r.run === target.run);
    if (result) return result;
    if (Date.now() >= deadline) {
      throw new InitsockError(
        'TIMEOUT',
        `job ${JSON.stringify(target.key)}: run ${target.run} had not finished when --timeout passed. ` +
          'It goes on; see `initsock job list`, or pass a longer --timeout.',
        { details: { key: target.key, run: target.run } },
      );
    }
    if (Date.now() < nextHealth) continue;
    nextHealth = Date.now() + HEALTH_EVERY_MS;
    if (await orphaned(target, status, ctx)) await retrigger();
  }
}

/** True when a request waits with no runner to take it (its runner was killed); throws when the run can never come. */
async function orphaned(target: WaitTarget, status: JobStatus | null, ctx: TriggerContext): Promise<boolean> {
  const gate = await lock(target.files.gate, ctx.timeoutMs);
  let alive: boolean;
  let pending: JobRequest | null;
  try {
    alive = isLocked(target.files.run);
    pending = existsSync(target.files.pending) ? readJson<JobRequest>(target.files.pending) : null;
  } finally {
    gate.release();
  }
  if (alive || status?.runs.some((r) => r.run === target.run)) return false;
  const started = (status?.run ?? 0) >= target.run;
  if (!started && pending) return !(await launchAlive(pending.launch, ctx));
  throw new InitsockError(
    'JOB_CANCELLED',
    `job ${JSON.stringify(target.key)}: run ${target.run} ` +
      `${started ? 'was cut short: its runner died before recording how it ended' : 'was cancelled by `initsock job stop` before it started'}. ` +
      'Trigger the job again to run it.',
    { details: { key: target.key, run: target.run } },
  );
}
