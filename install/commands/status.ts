// `install-service status`: not installed / listening / running (pid, uptime) / failed (reason and fix), plus a /health probe.
import { WORKER_HEALTH, type HealthCheck } from '../../src/service/health-check.js';
import { probeHealth } from '../../src/service/health.js';
import { statusOwned } from '../../src/service/ownership.js';
import type { ServiceStatus } from '../../src/service/types.js';
import type { Settings } from '../config.js';
import { initFor, systemContext } from '../context.js';
import type { CliDeps } from '../deps.js';
import { detailLines, statusDetails, tokenBroken, type StatusDetails } from '../status-details.js';

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
  const at =
    st.host !== null && st.port !== null ? `${st.host.includes(':') ? `[${st.host}]` : st.host}:${st.port}` : '?';
  const head = `${st.name} (${st.init}): `;
  switch (st.state) {
    case 'not-installed':
      return `${head}not installed. Install it with: install-service install --name ${st.name}`;
    case 'listening':
      return `${head}listening on ${at}, no worker running (the next connection starts one)`;
    case 'running': {
      const h = st.health as { status?: string; pid?: number; error?: string } | undefined;
      const health =
        h?.status !== 'ok'
          ? `health check failed: ${h?.error ?? 'no answer'}`
          : h.pid !== undefined
            ? `health ok (pid ${h.pid})`
            : 'health ok';
      return `${head}running on ${at}, pid ${st.pid}${st.uptimeMs != null ? `, up ${formatUptime(st.uptimeMs)}` : ''}; ${health}`;
    }
    case 'stopped':
      return `${head}stopped: ${st.reason ?? 'nothing listens'}\n  start it: ${st.fix ?? ''}`;
    case 'foreign':
      return `${head}${st.reason ?? 'not an initsock service'}\n  ${st.fix ?? ''}`;
    case 'failed':
      return `${head}FAILED: ${st.reason ?? 'unknown reason'}\n  fix: ${st.fix ?? `install-service repair --name ${st.name}`}`;
  }
}

/**
 * Exit codes, as `systemctl is-active` users expect: 0 when it listens or runs (and its token is usable); 1 when it
 * failed, was stopped, or its token is missing or unusable (the fix is printed); 4 when it is not installed or the
 * name is not an initsock service. (3 stays "no usable init system", as for every subcommand.)
 */
export const STATUS_EXIT = { up: 0, needsFix: 1, notInstalled: 4 } as const;

export function statusExit(st: ServiceStatus, d: StatusDetails | null): number {
  if (st.state === 'not-installed' || st.state === 'foreign') return STATUS_EXIT.notInstalled;
  if (st.state !== 'listening' && st.state !== 'running') return STATUS_EXIT.needsFix;
  return tokenBroken(st, d) ? STATUS_EXIT.needsFix : STATUS_EXIT.up;
}

/** Prints the status, its files, token and log command; the exit code says whether it is up (see STATUS_EXIT). */
export async function statusCommand(s: Settings, deps: CliDeps): Promise<number> {
  const init = initFor(s.init, deps);
  const ctx = systemContext(deps);
  await init.preflight(ctx);
  const st = await withHealth(
    await statusOwned(init, s.cfg, ctx, await init.status(s.cfg, ctx)),
    s.cfg.health ?? WORKER_HEALTH,
  );
  const installed = st.state !== 'not-installed' && st.state !== 'foreign';
  const d = installed ? statusDetails(init, s, ctx, st) : null;
  const code = statusExit(st, d);
  if (s.json) deps.out(`${JSON.stringify({ ...st, ...(d ? { details: d } : {}), exitCode: code }, null, 2)}\n`);
  else deps.out(`${[describe(st), ...(d ? detailLines(d) : [])].join('\n')}\n`);
  return code;
}
