// Watches a systemd service while install waits for its first answer: it failed, or it exits 0 again and again without taking the socket.
import { exitedCleanly, loopDiagnosis } from './loop.js';
import { statusFromUnits } from './status.js';
import { showUnits } from './show.js';
import { lastErrorLine, withLastError } from './failure.js';
import type { ServiceConfig, SystemContext } from '../types.js';

/** True when the service's last run ended with a non-zero exit status (CLD_EXITED is code 1). */
const exitedWithError = (u: Record<string, string>): boolean =>
  u.ExecMainCode === '1' && (u.ExecMainStatus ?? '0') !== '0';

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
    const clean = start !== before && exitedCleanly(svc);
    const looped = clean || (starts.size - restarts >= 2 && !exitedWithError(svc));
    const st = statusFromUnits(cfg, units, 0);
    if (st.state === 'failed') {
      return withLastError(
        `${looped || exitedCleanly(svc) ? `${loopDiagnosis()}; ` : ''}${st.reason ?? 'it failed'}`,
        cfg.name,
        ctx,
        since,
      );
    }
    if (!looped) return null;
    // Seen starting again and again, its exits missed: a worker that logged an error (then exited 78 or 1, and the waiting
    // connection started it again) is failing, not the exit-0 loop.
    const error = clean ? null : await lastErrorLine(cfg.name, ctx, since).catch(() => null);
    if (error)
      return `${cfg.name}.service keeps failing at start-up (started ${starts.size} times); the worker's last error: ${JSON.stringify(error)}`;
    return `${loopDiagnosis()} (it started ${starts.size} times and answered none)`;
  };
}
