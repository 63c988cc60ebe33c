// `install-service status`: not installed / listening / running (pid, uptime) / failed (reason and fix), plus a /health probe.
import { WORKER_HEALTH, type HealthCheck } from '../../src/service/health-check.js';
import { probeHealth } from '../../src/service/health.js';
import { statusOwned } from '../../src/service/ownership.js';
import type { ServiceStatus } from '../../src/service/types.js';
import type { Settings } from '../config.js';
import { initFor, systemContext } from '../context.js';
import type { CliDeps } from '../deps.js';

/** "3h 2m", "4m 10s", "12s". */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${s}s`;
}

/**
 * Probes /health only when a worker runs: probing a listening socket would start a worker, and status must not
 * change what it reports.
 */
async function withHealth(st: ServiceStatus, check: HealthCheck): Promise<ServiceStatus> {
  if (st.state !== 'running' || st.port === null || st.host === null) return st;
  try {
    return { ...st, health: await probeHealth(st.host, st.port, 3000, check) };
  } catch (err) {
    return { ...st, health: { status: 'unreachable', error: (err as Error).message } };
  }
}

function describe(st: ServiceStatus): string {
  const at = st.host !== null && st.port !== null ? `${st.host.includes(':') ? `[${st.host}]` : st.host}:${st.port}` : '?';
  const head = `${st.name} (${st.init}): `;
  switch (st.state) {
    case 'not-installed': return `${head}not installed. Install it with: install-service install --name ${st.name}`;
    case 'listening': return `${head}listening on ${at}, no worker running (the next connection starts one)`;
    case 'running': {
      const h = st.health as { status?: string; pid?: number; error?: string } | undefined;
      const health = h?.status !== 'ok' ? `health check failed: ${h?.error ?? 'no answer'}` : h.pid !== undefined ? `health ok (pid ${h.pid})` : 'health ok';
      return `${head}running on ${at}, pid ${st.pid}${st.uptimeMs != null ? `, up ${formatUptime(st.uptimeMs)}` : ''}; ${health}`;
    }
    case 'stopped': return `${head}stopped: ${st.reason ?? 'nothing listens'}\n  start it: ${st.fix ?? ''}`;
    case 'foreign': return `${head}${st.reason ?? 'not an initsock service'}\n  ${st.fix ?? ''}`;
    case 'failed': return `${head}FAILED: ${st.reason ?? 'unknown reason'}\n  fix: ${st.fix ?? `install-service repair --name ${st.name}`}`;
  }
}

/** Prints the status; exits 0 whenever the state could be read (the state itself is in the output). */
export async function statusCommand(s: Settings, deps: CliDeps): Promise<number> {
  const init = initFor(s.init, deps);
  const ctx = systemContext(deps);
  await init.preflight(ctx);
  const st = await withHealth(await statusOwned(init, s.cfg, ctx, await init.status(s.cfg, ctx)), s.cfg.health ?? WORKER_HEALTH);
  deps.out(s.json ? `${JSON.stringify(st, null, 2)}\n` : `${describe(st)}\n`);
  return 0;
}
