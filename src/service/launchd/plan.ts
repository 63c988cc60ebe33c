// The launchd plans for install, uninstall, repair and restart, decided from what is on disk and loaded now.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { exitTimeoutSeconds, launchdPaths } from './plist.js';
import type { JobRef } from './errors.js';
import {
  bootoutStep,
  bootstrapStep,
  confirmStep,
  enableStep,
  ensureLoadedStep,
  kickstartStep,
  printJob,
} from './steps.js';
import type { FileState, Plan, ServiceConfig, Step, SystemContext } from '../types.js';

export function jobRef(cfg: ServiceConfig, ctx: SystemContext): JobRef {
  return { uid: ctx.uid, label: cfg.label, plist: launchdPaths(cfg, ctx).plist, exitTimeoutS: exitTimeoutSeconds(cfg) };
}

const changed = (f: FileState): boolean =>
  f.current === null || f.current.content !== f.file.content || f.current.mode !== f.file.mode;

/** The folders the job needs before launchd reads the plist: a missing log folder fails the job before it runs. */
function folderSteps(cfg: ServiceConfig, ctx: SystemContext): Step[] {
  const paths = launchdPaths(cfg, ctx);
  return [
    { kind: 'mkdir', path: dirname(paths.plist), mode: 0o755 },
    {
      kind: 'mkdir',
      path: paths.logDir,
      mode: 0o755,
      note: 'StandardOutPath/StandardErrorPath must exist before launchd starts the job',
    },
  ];
}

/**
 * validate (done by render) → write → bootout the loaded job and wait until it is gone → enable → bootstrap
 * (retry once if still loaded) → print to confirm. The CLI then probes /health. On failure the executor undoes
 * completed steps (bootstrap's undo is a bootout; the old plist is restored), then afterRollback loads the old job
 * again if it was loaded before. Nothing to do when the plist is unchanged and loaded.
 */
export async function planLaunchdInstall(cfg: ServiceConfig, files: FileState[], ctx: SystemContext): Promise<Plan> {
  const job = jobRef(cfg, ctx);
  const loaded = (await printJob(ctx, job)) !== null;
  const dirty = files.some(changed);
  if (!dirty && loaded) return { steps: [], notes: [`${cfg.label} is already installed and loaded`] };
  const steps: Step[] = [
    ...folderSteps(cfg, ctx),
    ...files.filter(changed).map((f): Step => ({ kind: 'write', file: f.file })),
  ];
  if (loaded)
    steps.push(bootoutStep(job, 'the loaded job has the old settings; launchd rereads the plist only on bootstrap'));
  steps.push(enableStep(job), bootstrapStep(job), confirmStep(job));
  const hadOld = files.some((f) => f.current !== null);
  return { steps, afterRollback: loaded && hadOld ? [ensureLoadedStep(job)] : [] };
}

/** bootout (undone by loading it again if removing the file fails), then remove the plist. Empty when nothing is there. */
export async function planLaunchdUninstall(cfg: ServiceConfig, ctx: SystemContext): Promise<Plan> {
  const job = jobRef(cfg, ctx);
  const steps: Step[] = [];
  if ((await printJob(ctx, job)) !== null) {
    const reload = existsSync(job.plist) ? [{ ...bootstrapStep(job), undo: [] }] : undefined;
    steps.push(bootoutStep(job, 'launchd closes the socket and stops the worker', reload));
  }
  if (existsSync(job.plist)) steps.push({ kind: 'remove', path: job.plist });
  return { steps };
}

/** Loaded: enable and restart the worker (kickstart -k). Not loaded but installed: enable, bootstrap, confirm. */
export async function planLaunchdRepair(cfg: ServiceConfig, ctx: SystemContext): Promise<Plan> {
  const job = jobRef(cfg, ctx);
  if ((await printJob(ctx, job)) !== null) return { steps: [enableStep(job), kickstartStep(job)] };
  if (!existsSync(job.plist))
    return { steps: [], notes: [`${job.plist} does not exist: run install-service install first`] };
  return { steps: [enableStep(job), bootstrapStep(job), confirmStep(job)] };
}

/** A restart for CLIs that offer one: `launchctl kickstart -k gui/<uid>/<label>`. */
export function planLaunchdRestart(cfg: ServiceConfig, ctx: SystemContext): Plan {
  return { steps: [kickstartStep(jobRef(cfg, ctx))] };
}
