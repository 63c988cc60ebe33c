// Whether the running worker is older than what is on disk (another initsock version, or its --app/--entry changed since it started), and the steps that replace it.
import { statSync } from 'node:fs';
import { probeHealth, type Health } from '../src/service/health.js';
import type { InitSystem, Plan, ServiceConfig, ServiceStatus, Step, SystemContext } from '../src/service/types.js';
import { packageVersion } from '../src/worker/health.js';

/** What runs against what is installed; `reasons` is empty when the running worker is current. */
export interface Staleness {
  running: string;
  installed: string;
  reasons: string[];
}

/** The running worker's /health (initsock's own worker only: a program run with --exec answers its own route), or null. */
export async function runningHealth(cfg: ServiceConfig, st: ServiceStatus): Promise<Health | null> {
  if (st.state !== 'running' || cfg.health !== undefined || st.host === null || st.port === null) return null;
  try {
    return await probeHealth(st.host, st.port, 3000);
  } catch {
    return null;
  }
}

const mtime = (path: string): number | null => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
};

/**
 * Compares the worker's version with this package's, and its start time (now - uptimeMs) with the modification
 * time of the code it loaded (--entry and --app): a file changed after the worker started was not what it loaded.
 */
export function staleness(cfg: ServiceConfig, health: Health, now: number): Staleness {
  const installed = packageVersion();
  // A worker that reports no version (an --entry of the user's own) is judged by its files alone.
  const running = typeof health.version === 'string' ? health.version : installed;
  const reasons = running === installed ? [] : [`it runs initsock ${running}, and ${installed} is installed`];
  const started = now - Number(health.uptimeMs ?? 0);
  for (const [flag, path] of [
    ['--entry', cfg.entry],
    ['--app', cfg.app],
  ] as const) {
    const changed = path === undefined ? null : mtime(path);
    if (changed !== null && changed > started) reasons.push(`${flag} ${path} changed after it started`);
  }
  return { running, installed, reasons };
}

/** True when the plan already stops the running service (its files changed), so no restart needs adding. */
const stopsService = (plan: Plan, name: string): boolean =>
  plan.steps.some((st) => st.kind === 'run' && st.argv.includes('stop') && st.argv.includes(`${name}.service`));

/** The restart steps for a stale worker (through the socket, which queues connections meanwhile), or none. */
export async function replaceSteps(
  init: InitSystem,
  cfg: ServiceConfig,
  plan: Plan,
  stale: Staleness | null,
  ctx: SystemContext,
): Promise<Step[]> {
  if (stale === null || stale.reasons.length === 0 || stopsService(plan, cfg.name) || !init.planRestart) return [];
  const note = `the running worker is out of date: ${stale.reasons.join('; ')}`;
  return (await init.planRestart(cfg, ctx)).steps.map((st) => ({ ...st, note }));
}

/** The report line: "upgraded 0.1.0 → 0.1.1", or why the worker was replaced. */
export function upgradeLine(stale: Staleness | null): string | null {
  if (stale === null || stale.reasons.length === 0) return null;
  if (stale.running !== stale.installed)
    return `upgraded ${stale.running} → ${stale.installed} (the old worker was replaced through the socket)`;
  return `replaced the running worker: ${stale.reasons.join('; ')}`;
}
