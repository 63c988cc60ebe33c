// The one place plans touch the system: runs each step in order and, when one fails, undoes the completed ones in reverse.
import { rmdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InitsockError, isInitsockError } from '../src/errors.js';
import { atomicWrite, ensureDir, readSnapshot, removeFile } from '../src/exec/atomic-write.js';
import { commandFailed } from '../src/error-messages.js';
import { assertSafeDir, assertSafeToWrite } from '../src/security/safe-path.js';
import type { Plan, Step, StepContext } from '../src/service/types.js';
import { describeStep } from './describe.js';

/** An undo the executor recorded for a completed step. */
interface Undo {
  description: string;
  run(): Promise<void>;
}

/** Runs one command step; a code outside okCodes fails it with the init system's error, else the argv, code, stderr and fix. */
async function runCommandStep(step: Extract<Step, { kind: 'run' }>, ctx: StepContext): Promise<void> {
  const res = await ctx.run(step.argv, { env: ctx.env });
  if (!(step.okCodes ?? [0]).includes(res.code)) {
    throw (
      step.failure?.(res) ??
      commandFailed(res, step.fix ?? 'Fix the cause shown above and run install-service again.', { code: res.code })
    );
  }
}

/** A step run as an undo (its own undo is ignored). */
const asUndo = (step: Step, ctx: StepContext): Undo => ({
  description: describeStep(step),
  run: () => perform(step, ctx).then(() => undefined),
});

/** Performs `step` and returns how to undo it (file steps capture what was there before). */
async function perform(step: Step, ctx: StepContext): Promise<Undo[]> {
  const extra = (step.undo ?? []).map((u) => asUndo(u, ctx));
  switch (step.kind) {
    case 'write': {
      assertSafeToWrite(step.file.path); // no folder or link on the way that another user controls
      const before = readSnapshot(step.file.path);
      atomicWrite(step.file.path, step.file.content, step.file.mode);
      const restore: Undo = before
        ? {
            description: `restore the previous ${step.file.path}`,
            run: async () => atomicWrite(step.file.path, before.content, before.mode),
          }
        : {
            description: `remove ${step.file.path}`,
            run: async () => {
              removeFile(step.file.path);
            },
          };
      return [restore, ...extra];
    }
    case 'remove': {
      const before = readSnapshot(step.path);
      removeFile(step.path);
      return before
        ? [
            {
              description: `restore ${step.path}`,
              run: async () => atomicWrite(step.path, before.content, before.mode),
            },
            ...extra,
          ]
        : extra;
    }
    case 'mkdir': {
      assertSafeDir(step.path);
      const created = ensureDir(step.path, step.mode); // outermost first: the global reverse removes the innermost first
      return [
        ...created.map((d): Undo => ({ description: `remove folder ${d}`, run: async () => rmdirSync(d) })),
        ...extra,
      ];
    }
    case 'run':
      await runCommandStep(step, ctx);
      return extra;
    case 'action':
      await step.run(ctx);
      return extra;
  }
}

/** Runs undos in the given order, best effort; returns what was undone and what could not be. */
async function runBestEffort(undos: Undo[], ctx: StepContext): Promise<{ undone: string[]; failed: string[] }> {
  const undone: string[] = [];
  const failed: string[] = [];
  for (const u of undos) {
    try {
      await u.run();
      undone.push(u.description);
    } catch (err) {
      failed.push(`${u.description}: ${(err as Error).message}`);
      ctx.log(`rollback: could not ${u.description}: ${(err as Error).message}`);
    }
  }
  return { undone, failed };
}

/** What a successful apply did. */
export interface Applied {
  done: string[];
}

/** Checks every path the plan writes, creates or removes before the first step, so an unsafe path changes nothing. */
function assertPlanPathsSafe(plan: Plan): void {
  for (const step of plan.steps) {
    try {
      if (step.kind === 'write') assertSafeToWrite(step.file.path);
      else if (step.kind === 'mkdir') assertSafeDir(step.path);
      else if (step.kind === 'remove') assertSafeDir(dirname(step.path));
    } catch (err) {
      throw failure(step, err, true, [], []);
    }
  }
}

/** INTERRUPTED, naming the signal and when it came. */
function interrupted(signal: AbortSignal, when: string): InitsockError {
  return new InitsockError(
    'INTERRUPTED',
    `interrupted (${String(signal.reason ?? 'signal')}) ${when}. Run install-service again to finish.`,
  );
}

/**
 * Performs `step`; a waiting step (action: checks, retries, the health check) is abandoned as soon as the run is
 * interrupted. Commands and file writes run to their end, so what is undone is a finished step, never half of one.
 */
function performInterruptibly(step: Step, ctx: StepContext): Promise<Undo[]> {
  const work = perform(step, ctx);
  const signal = ctx.signal;
  if (step.kind !== 'action' || !signal) return work;
  work.catch(() => {
    /* abandoned on interrupt; its failure no longer matters */
  });
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(interrupted(signal, 'while waiting'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Applies `plan`. On the first failing step, or an interrupt (ctx.signal) at any point, the last step included, undoes
 * every completed step (newest first), then runs plan.afterRollback, and throws the step's error (an InitsockError)
 * with `details.rolledBack` and a message that lists what was undone. A change that did not finish is never "done".
 */
export async function applyPlan(plan: Plan, ctx: StepContext): Promise<Applied> {
  assertPlanPathsSafe(plan); // again per step below: the checks are cheap, and the tree may change meanwhile
  const undos: Undo[] = [];
  const done: string[] = [];
  for (const [i, step] of plan.steps.entries()) {
    try {
      if (ctx.signal?.aborted) throw interrupted(ctx.signal, 'before this step');
      // Progress only for steps that may wait (checks, retries); the caller reports every change at the end.
      if (step.kind === 'action') ctx.log(`${describeStep(step)}...`);
      undos.push(...(await performInterruptibly(step, ctx)));
      done.push(describeStep(step));
      if (i === plan.steps.length - 1 && ctx.signal?.aborted)
        throw interrupted(ctx.signal, 'as the last step finished');
    } catch (err) {
      const nothingDone = done.length === 0;
      const tail = nothingDone ? [] : (plan.afterRollback ?? []).map((s) => asUndo(s, ctx));
      const { undone, failed } = await runBestEffort([...undos.reverse(), ...tail], ctx);
      throw failure(step, err, nothingDone, undone, failed);
    }
  }
  return { done };
}

/** The error for a failed step: what failed, the cause, and what was rolled back (or that nothing had changed). */
function failure(step: Step, err: unknown, nothingDone: boolean, undone: string[], failed: string[]): InitsockError {
  const base = isInitsockError(err) ? err : new InitsockError('COMMAND_FAILED', (err as Error).message, { cause: err });
  const what = `${describeStep(step)} failed: ${base.message}`;
  const after = nothingDone
    ? ' Nothing had been changed yet.'
    : ` Rolled back: ${undone.length ? undone.join('; ') : 'nothing needed undoing'}.` +
      (failed.length ? ` Could NOT roll back: ${failed.join('; ')}. Fix those by hand.` : '');
  return new InitsockError(base.code, what + after, {
    cause: base,
    details: { ...base.details, rolledBack: undone, rollbackFailed: failed },
  });
}
