// What launchd knows about a label beyond initsock's plist: the same label loaded from another plist (another folder).
import type { ForeignUnit } from '../ownership.js';
import type { ServiceConfig, SystemContext } from '../types.js';
import { jobRef } from './plan.js';
import { parseLaunchctlPrint } from './print.js';
import { printJob } from './steps.js';

/** The job of `cfg.label` when launchd has it loaded from a plist other than the one install writes. */
export async function launchdKnownElsewhere(cfg: ServiceConfig, ctx: SystemContext): Promise<ForeignUnit[]> {
  const job = jobRef(cfg, ctx);
  const text = await printJob(ctx, job);
  if (text === null) return [];
  const { path } = parseLaunchctlPrint(text);
  if (path === null || path === job.plist) return [];
  return [
    {
      path,
      why: `launchd already has ${job.label} loaded from there (see \`launchctl print gui/${job.uid}/${job.label}\`)`,
    },
  ];
}
