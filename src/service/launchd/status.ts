// launchd status: not installed / installed but not loaded / listening (no process) / running with pid / failed with its last exit.
import { existsSync } from 'node:fs';
import { launchdPaths } from './plist.js';
import { parseLaunchctlPrint } from './print.js';
import { jobRef } from './plan.js';
import { printJob } from './steps.js';
import type { ServiceConfig, ServiceStatus, SystemContext } from '../types.js';

/** Why the last run ended, in words, or null when it ended cleanly or never ran. */
function lastFailure(code: number | null, signal: string | null): string | null {
  if (code !== null && code !== 0) {
    const hint = code === 78 ? ' (EX_CONFIG: not socket-activated, a bad setting, or a log path launchd could not open)' : '';
    return `the worker last exited with code ${code}${hint}`;
  }
  // SIGTERM is how launchd stops a job (bootout, kickstart -k), so it is not a failure.
  if (signal !== null && !/Terminated: 15/.test(signal)) return `the worker was last killed by a signal (${signal})`;
  return null;
}

/** Reads the job from `launchctl print` and the plist on disk. The CLI adds the /health probe. */
export async function launchdStatus(cfg: ServiceConfig, ctx: SystemContext): Promise<ServiceStatus> {
  const job = jobRef(cfg, ctx);
  const base = { name: cfg.name, init: 'launchd' as const, pid: null, port: null, host: null };
  const text = await printJob(ctx, job);
  if (text === null) {
    if (!existsSync(job.plist)) return { ...base, state: 'not-installed' };
    return { ...base, state: 'failed', reason: `${job.plist} exists but launchd has not loaded it`,
      fix: `install-service repair (or launchctl bootstrap gui/${job.uid} ${job.plist})` };
  }
  const p = parseLaunchctlPrint(text);
  const where = { port: cfg.port, host: cfg.host };
  if (p.pid !== null) return { ...base, ...where, state: 'running', pid: p.pid, uptimeMs: null };
  const failure = lastFailure(p.lastExitCode, p.lastSignal);
  if (failure === null) return { ...base, ...where, state: 'listening' };
  return { ...base, ...where, state: 'failed', reason: `${failure}; launchd still listens and will start it again on the next connection`,
    fix: `read ${launchdPaths(cfg, ctx).stderr}, then install-service repair` };
}
