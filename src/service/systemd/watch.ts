// Watches a systemd service while install waits for its first answer: it failed, or it exits 0 again and again without taking the socket.
import { exitedCleanly, loopDiagnosis } from './loop.js';
import { statusFromUnits } from './status.js';
import { showUnits } from './show.js';
import { withLastError } from './failure.js';
import type { ServiceConfig, SystemContext } from '../types.js';

/**
 * The watcher for verify. A run that started after the watch began and ended with exit 0 while verify's connection
 * was still waiting is the loop; so are two such starts seen without a restart counted (a crash is restarted and
 * counted in NRestarts; a clean exit is not, the socket simply starts the service again).
 */
export async function watchSystemdStart(cfg: ServiceConfig, ctx: SystemContext): Promise<() => Promise<string | null>> {
  const since = Math.floor(Date.now() / 1000); // the journal lines of this attempt, not of an earlier failure
  const first = (await showUnits(cfg.name, ctx)).service;
  const before = first.ExecMainStartTimestampMonotonic ?? '0';
  const starts = new Set<string>();
  return async () => {
    const units = await showUnits(cfg.name, ctx);
    const svc = units.service;
    const start = svc.ExecMainStartTimestampMonotonic ?? '0';
    if (start !== before && start !== '0') starts.add(start);
    const restarts = Number(svc.NRestarts ?? 0) - Number(first.NRestarts ?? 0);
    const looped = (start !== before && exitedCleanly(svc)) || starts.size - restarts >= 2;
    const st = statusFromUnits(cfg, units, 0);
    if (st.state === 'failed') {
      return withLastError(`${looped || exitedCleanly(svc) ? `${loopDiagnosis()}; ` : ''}${st.reason ?? 'it failed'}`, cfg.name, ctx, since);
    }
    return looped ? `${loopDiagnosis()} (it started ${starts.size} times and answered none)` : null;
  };
}
