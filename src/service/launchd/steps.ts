// The launchctl commands install, uninstall and repair run, as steps whose descriptions name every command they may run.
import { InitsockError } from '../../errors.js';
import type { CommandResult } from '../../exec/runner.js';
import { topLevelFields } from './print.js';
import { sudoForAnotherUser } from '../sudo.js';
import { LAUNCHCTL, launchctlError, noGuiDomain, serviceTarget, type JobRef } from './errors.js';
import type { Step, StepContext, SystemContext } from '../types.js';

/** How often to poll `launchctl print` after a bootout, and how long past ExitTimeOut launchd may take to let go. */
export const GONE_POLL_MS = 200;
export const GONE_SLACK_S = 5;

/**
 * How long to wait for a booted-out job: past its ExitTimeOut, so a draining worker can finish. The loaded job may
 * carry an older plist's longer timeout, so launchd's own `exit timeout = N` counts when it is the larger.
 */
export function goneBoundMs(job: JobRef, printed: string | null = null): number {
  const loaded = Number(printed === null ? Number.NaN : topLevelFields(printed)['exit timeout']);
  return (Math.max(job.exitTimeoutS, Number.isFinite(loaded) ? loaded : 0) + GONE_SLACK_S) * 1000;
}

const launchctl = (...args: string[]): string[] => ['launchctl', ...args];

/** The fixed commands the steps run, as argv (print --json lists them). */
const printArgv = (job: JobRef): string[] => launchctl('print', serviceTarget(job));
const bootoutArgv = (job: JobRef): string[] => launchctl('bootout', serviceTarget(job));
const bootstrapArgv = (job: JobRef): string[] => launchctl('bootstrap', `gui/${job.uid}`, job.plist);

/** Runs launchctl; any exit code outside `ok` throws the matching launchctlError. */
async function run(
  ctx: SystemContext,
  job: JobRef,
  argv: string[],
  ok: readonly number[] = [0],
): Promise<CommandResult> {
  const result = await ctx.run(argv, { env: ctx.env });
  if (!ok.includes(result.code)) throw launchctlError(result, job);
  return result;
}

/** `launchctl print gui/<uid>/<label>`: the answer when loaded, null when launchd does not know the job. */
export async function printJob(ctx: SystemContext, job: JobRef): Promise<string | null> {
  const result = await run(ctx, job, printArgv(job), [0, LAUNCHCTL.NOT_FOUND, LAUNCHCTL.NO_SUCH_PROCESS]);
  return result.code === 0 ? result.stdout : null;
}

/** Polls `launchctl print` until the job is gone, at most goneBoundMs; TIMEOUT if it stays. */
export async function waitUntilGone(ctx: StepContext, job: JobRef): Promise<void> {
  let bound = goneBoundMs(job);
  for (let waited = 0; ; waited += GONE_POLL_MS) {
    const printed = await printJob(ctx, job);
    if (printed === null) return;
    if (waited === 0) bound = goneBoundMs(job, printed);
    if (waited >= bound) break;
    await ctx.sleep(GONE_POLL_MS);
  }
  throw new InitsockError(
    'TIMEOUT',
    `launchd still lists ${serviceTarget(job)} ${bound / 1000} s after \`launchctl bootout\`: its worker did not exit. Stop it with \`launchctl kill SIGKILL ${serviceTarget(job)}\`, then run install-service again.`,
    { details: { label: job.label } },
  );
}

/** bootout, tolerating "not loaded" (113, or 3 on some versions) and "still exiting" (36), then wait until it is gone. */
export async function bootoutAndWait(ctx: StepContext, job: JobRef): Promise<void> {
  await run(ctx, job, bootoutArgv(job), [0, LAUNCHCTL.NO_SUCH_PROCESS, LAUNCHCTL.IN_PROGRESS, LAUNCHCTL.NOT_FOUND]);
  await waitUntilGone(ctx, job);
}

/**
 * bootstrap; exit 5 (or 17 on older macOS) means "already loaded" or "bad plist". When launchd still lists the
 * job it was the former: bootout, wait, and retry once. Otherwise, or when the retry fails too, it is an error.
 */
export async function bootstrapWithRetry(ctx: StepContext, job: JobRef): Promise<void> {
  const argv = bootstrapArgv(job);
  const first = await ctx.run(argv, { env: ctx.env });
  if (first.code === 0) return;
  const alreadyLoaded =
    (first.code === LAUNCHCTL.IO_ERROR || first.code === LAUNCHCTL.EXISTS) && (await printJob(ctx, job)) !== null;
  if (!alreadyLoaded) throw launchctlError(first, job);
  ctx.log(`${job.label} was still loaded; unloading it and retrying once`);
  await bootoutAndWait(ctx, job);
  await run(ctx, job, argv);
}

/** After bootstrap: launchd must list the job, else VERIFY_FAILED. */
export async function confirmLoaded(ctx: StepContext, job: JobRef): Promise<void> {
  if ((await printJob(ctx, job)) !== null) return;
  throw new InitsockError(
    'VERIFY_FAILED',
    `launchctl bootstrap succeeded but \`launchctl print ${serviceTarget(job)}\` does not find the job. Check ~/Library/Logs and \`log show --last 5m --predicate 'subsystem == "com.apple.xpc.launchd"'\`, then run install-service again.`,
    { details: { label: job.label } },
  );
}

/** Unloads the job if loaded and waits until launchd lets go of it. */
export function bootoutStep(job: JobRef, note?: string, undo?: Step[]): Step {
  return {
    kind: 'action',
    description: `launchctl bootout ${serviceTarget(job)} (if loaded), then launchctl print ${serviceTarget(job)} until it is gone (at most ${goneBoundMs(job) / 1000} s, longer if the loaded job's exit timeout is)`,
    commands: [bootoutArgv(job), printArgv(job)],
    run: (ctx) => bootoutAndWait(ctx, job),
    ...(note ? { note } : {}),
    ...(undo ? { undo } : {}),
  };
}

/** Clears a "disabled" override left in launchd's database (it outlives the plist and blocks bootstrap with 119). */
export function enableStep(job: JobRef): Step {
  return {
    kind: 'run',
    argv: launchctl('enable', serviceTarget(job)),
    failure: (result) => launchctlError(result, job),
    note: 'clears any disabled override left by an earlier uninstall or by hand',
  };
}

/** Loads the plist into gui/<uid>; undone by a bootout when a later step fails. */
export function bootstrapStep(job: JobRef): Step {
  return {
    kind: 'action',
    description: `launchctl bootstrap gui/${job.uid} ${job.plist} (if it fails and launchctl print ${serviceTarget(job)} still lists the job: launchctl bootout ${serviceTarget(job)}, wait, and retry once)`,
    note: 'launchd binds the socket now and starts the worker on the first connection',
    commands: [bootstrapArgv(job), printArgv(job), bootoutArgv(job)],
    run: (ctx) => bootstrapWithRetry(ctx, job),
    undo: [bootoutStep(job)],
  };
}

/** For afterRollback: loads the (restored) plist unless launchd already lists the job. */
export function ensureLoadedStep(job: JobRef): Step {
  return {
    kind: 'action',
    description: `launchctl print ${serviceTarget(job)}; unless listed: launchctl bootstrap gui/${job.uid} ${job.plist}`,
    note: 'the previous job, from the restored plist',
    commands: [printArgv(job), bootstrapArgv(job)],
    run: async (ctx) => {
      if ((await printJob(ctx, job)) === null) await bootstrapWithRetry(ctx, job);
    },
  };
}

export function confirmStep(job: JobRef): Step {
  return {
    kind: 'action',
    description: `launchctl print ${serviceTarget(job)} (must list the job)`,
    commands: [printArgv(job)],
    run: (ctx) => confirmLoaded(ctx, job),
  };
}

/** Restarts the worker now: -k kills a running instance first. */
export function kickstartStep(job: JobRef): Step {
  return {
    kind: 'run',
    argv: launchctl('kickstart', '-k', serviceTarget(job)),
    failure: (result) => launchctlError(result, job),
  };
}

/** `launchctl print gui/<uid>`: the user's gui domain must exist (it does not over SSH without a screen login). */
export async function checkGuiDomain(ctx: SystemContext): Promise<void> {
  const sudoUser = sudoForAnotherUser(ctx);
  if (sudoUser !== null) {
    // gui/0 is root's own domain: a LaunchAgent for sudoUser bootstrapped there would never be theirs.
    throw new InitsockError(
      'NO_INIT_SYSTEM',
      `install-service is running under sudo as root for ${sudoUser}, but a LaunchAgent belongs to the gui domain of the user who runs it (root's would be gui/0). Run install-service as ${sudoUser} without sudo.`,
      { details: { uid: ctx.uid, sudoUser } },
    );
  }
  const result = await ctx.run(launchctl('print', `gui/${ctx.uid}`), { env: ctx.env });
  if (result.code === 0) return;
  if (result.code === LAUNCHCTL.NOT_INSTALLED)
    throw launchctlError(result, { uid: ctx.uid, label: `gui/${ctx.uid}`, plist: '' });
  throw noGuiDomain(result, ctx.uid);
}
