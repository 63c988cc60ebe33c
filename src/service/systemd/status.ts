// Turns `systemctl --user show` of NAME.socket and NAME.service into a ServiceStatus: not installed, listening, running or failed.
import type { ServiceConfig, ServiceStatus, SystemContext } from '../types.js';
import { isActive, isFailed, isLoaded, parseListen, showUnits, type UnitPair, type UnitProps } from './show.js';

/** Microseconds on CLOCK_MONOTONIC, the clock of ExecMainStartTimestampMonotonic (Node's hrtime uses it on Linux). */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** Why a unit failed, in words: its Result and, for a service, how its main process ended. */
function failureReason(unit: UnitProps): string {
  const result = unit.Result && unit.Result !== 'success' ? unit.Result : 'unknown';
  const hints: Record<string, string> = {
    'trigger-limit-hit': 'connections triggered the service too often in a short time',
    'service-start-limit-hit': 'the service failed to start too many times in a row',
    'start-limit-hit': 'it was started too many times in a short time',
    'exit-code': `the worker exited with status ${unit.ExecMainStatus ?? '?'}`,
    signal: `the worker was killed by signal ${unit.ExecMainStatus ?? '?'}`,
    'core-dump': 'the worker crashed and dumped core',
    timeout: 'the worker did not start or stop in time',
    resources: 'systemd could not set up the process (check paths and permissions in the unit)',
  };
  return `${unit.Id} failed (${result}${hints[result] ? `: ${hints[result]}` : ''})`;
}

/** Maps the two units to a ServiceStatus (pure, for tests). `nowMicros` is the current CLOCK_MONOTONIC time. */
export function statusFromUnits(cfg: ServiceConfig, units: UnitPair, nowMicros: number): ServiceStatus {
  const listen = parseListen(units.socket.Listen);
  const base: ServiceStatus = { name: cfg.name, init: 'systemd', state: 'not-installed', pid: null, port: listen?.port ?? null, host: listen?.host ?? null };
  if (!isLoaded(units.socket) && !isLoaded(units.service)) return { ...base, port: null, host: null };
  const fix = `install-service repair --name ${cfg.name}`;
  const failed = [units.socket, units.service].find(isFailed);
  if (failed) return { ...base, state: 'failed', reason: failureReason(failed), fix };
  const pid = Number(units.service.MainPID ?? 0);
  if (isActive(units.service) && pid > 0) {
    const started = Number(units.service.ExecMainStartTimestampMonotonic ?? 0);
    const uptimeMs = started > 0 ? Math.max(0, Math.round((nowMicros - started) / 1000)) : null;
    return { ...base, state: 'running', pid, uptimeMs };
  }
  if (units.socket.ActiveState === 'active') return { ...base, state: 'listening' };
  // Installed, but the socket is stopped (by hand, or never started): nothing listens, which the user must fix.
  return { ...base, state: 'failed', reason: `${units.socket.Id} is ${units.socket.ActiveState ?? 'inactive'}: nothing listens on the port`, fix };
}

/** Reads both units and maps them (the CLI adds the /health probe). */
export async function systemdStatus(cfg: ServiceConfig, ctx: SystemContext, now: () => number = monotonicMicros): Promise<ServiceStatus> {
  return statusFromUnits(cfg, await showUnits(cfg.name, ctx), now());
}
