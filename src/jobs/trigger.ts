// A trigger: under the key's gate, leave the request as the pending run and make sure a runner will take it.
import { existsSync } from 'node:fs';
import { isLocked, lock } from './flock.js';
import { jobId } from './key.js';
import { launchAlive, launchRunner, type LaunchContext } from './launch.js';
import { ensureJobsDir, jobFiles } from './paths.js';
import { readJson, removeFile, writeJson, type JobRequest, type JobStatus } from './state.js';

/** started: nothing ran, a run starts now; queued: a run is active, a follow-up will start when it ends;
 *  already-queued: a run not yet started already covers this trigger. */
export type Answer = 'started' | 'queued' | 'already-queued';

export interface TriggerResult {
  answer: Answer;
  id: string;
  /** The number of the run that covers this trigger (runs are numbered from 1 per key). */
  run: number;
}

export type TriggerContext = Omit<LaunchContext, 'id'> & { timeoutMs: number };

/**
 * Records `req` as the key's pending run (a later trigger's request replaces it: the follow-up runs the newest
 * command) and answers how it will run. Only the trigger that finds no runner starts one, while holding the gate.
 */
export async function trigger(req: JobRequest, ctx: TriggerContext): Promise<TriggerResult> {
  const id = jobId(req.key);
  const files = jobFiles(ctx.dir, id);
  ensureJobsDir(ctx.dir);
  const gate = await lock(files.gate, ctx.timeoutMs);
  try {
    const run = (readJson<JobStatus>(files.status)?.run ?? 0) + 1;
    const pending = readJson<JobRequest>(files.pending) ?? (existsSync(files.pending) ? req : null);
    if (isLocked(files.run)) {
      writeJson(files.pending, { ...req, launch: pending?.launch });
      return { answer: pending ? 'already-queued' : 'queued', id, run };
    }
    if (pending && (await launchAlive(pending.launch, ctx))) {
      writeJson(files.pending, { ...req, launch: pending.launch });
      return { answer: 'already-queued', id, run };
    }
    return { answer: await start(req, files.pending, { ...ctx, id }), id, run };
  } finally {
    gate.release();
  }
}

/** No runner: write the request, start one (it waits for the gate we hold), then record how it was started. */
async function start(req: JobRequest, pendingPath: string, ctx: LaunchContext): Promise<Answer> {
  writeJson(pendingPath, req);
  try {
    const launch = await launchRunner(req, ctx);
    writeJson(pendingPath, { ...req, launch });
    return 'started';
  } catch (err) {
    removeFile(pendingPath);
    throw err;
  }
}
