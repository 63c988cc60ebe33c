// A service that keeps starting without ever taking its socket (it exits 0 and the waiting connection starts it again): how to tell, and what to say.
import type { UnitProps } from './show.js';
import type { ServiceConfig } from '../types.js';

/** The diagnosis for a service that exits 0 while its socket still holds the connection that started it. */
export function loopDiagnosis(): string {
  return `the program exited 0 without taking the socket: it binds the port itself; use --adopt or --proxy-port`;
}

/** True when the service's last run ended with exit status 0 (CLD_EXITED is code 1), after it started. */
export function exitedCleanly(u: UnitProps): boolean {
  const start = Number(u.ExecMainStartTimestampMonotonic ?? 0);
  return (
    u.ExecMainCode === '1' &&
    u.ExecMainStatus === '0' &&
    start > 0 &&
    Number(u.ExecMainExitTimestampMonotonic ?? 0) >= start
  );
}

/** The fix for the loop: reinstall with a mode that hands the program its socket (install also clears the failed state). */
export function loopFix(cfg: ServiceConfig): string {
  return `install-service install --name ${cfg.name} --adopt -- CMD ARG…  (or --proxy-port PORT -- CMD ARG…)`;
}
