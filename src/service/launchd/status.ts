// launchd status: not installed / installed but not loaded / listening (no process) / running with pid / failed with its last exit.
import { existsSync } from 'node:fs';
import { launchdPaths } from './plist.js';
import { lastFailure } from './failure.js';
import { parseLaunchctlPrint } from './print.js';
import { jobRef } from './plan.js';
import { printJob } from './steps.js';
import type { ServiceConfig, ServiceStatus, SystemContext } from '../types.js';

/** Reads the job from `launchctl print` and the plist on disk. The CLI adds the /health probe. */
export async function launchdStatus(cfg: ServiceConfig, ctx: SystemContext): Promise<ServiceStatus> {
  const job = jobRef(cfg, ctx);
  const base = { name: cfg.name, init: 'launchd' as const, pid: null, port: null, host: null };
  const text = await printJob(ctx, job);
  if (text === null) {
    if (!existsSync(job.plist)) return { ...base, state: 'not-installed' };
    return {
      ...base,
      state: 'failed',
      reason: `${job.plist} exists but launchd has not loaded it`,
      fix: `install-service repair (or launchctl bootstrap gui/${job.uid} ${job.plist})`,
    };
  }
  const p = parseLaunchctlPrint(text);
  const where = { port: cfg.port, host: cfg.host };
  if (p.pid !== null) return { ...base, ...where, state: 'running', pid: p.pid, uptimeMs: null };
  const failure = lastFailure(p);
  if (failure === null) return { ...base, ...where, state: 'listening' };
  const logs = launchdPaths(cfg, ctx).stderr;
  // A program macOS will not run fails the same way on every connection: repair cannot help, another node can.
  const fix =
    p.jobState === 'spawn failed' || p.lastExitReason !== null
      ? `run \`${cfg.node} --version\` in a Terminal to see why macOS refuses it, then install-service --node <a node that runs> (and read ${logs})`
      : `read ${logs}, then install-service repair`;
  return {
    ...base,
    ...where,
    state: 'failed',
    reason: `${failure}; launchd still listens and will try again on the next connection`,
    fix,
  };
}
