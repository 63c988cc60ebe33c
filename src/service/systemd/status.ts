// Turns `systemctl --user show` of NAME.socket and NAME.service into a ServiceStatus: not installed, listening, running or failed.
import { existsSync } from 'node:fs';
import type { ServiceConfig, ServiceStatus, SystemContext } from '../types.js';
import {
  isActive,
  isEnabled,
  isFailed,
  isLoaded,
  parseListen,
  showUnits,
  type UnitPair,
  type UnitProps,
} from './show.js';
import { exitedCleanly, loopDiagnosis, loopFix } from './loop.js';
import { withQueueCheck } from './queue.js';

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

/** A unit file missing, or a socket never enabled: an install that did not finish (killed). Re-running install finishes it. */
function incomplete(cfg: ServiceConfig, units: UnitPair, missing: string[]): string | null {
  if (missing.length > 0) return `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`;
  if (!isActive(units.socket) && !isFailed(units.socket) && !isEnabled(units.socket))
    return `${cfg.name}.socket is neither enabled nor started`;
  return null;
}

/**
 * Maps the two units to a ServiceStatus (pure, for tests). `nowMicros` is the current CLOCK_MONOTONIC time; `missing`
 * lists the service's unit files that are not on disk.
 */
export function statusFromUnits(
  cfg: ServiceConfig,
  units: UnitPair,
  nowMicros: number,
  missing: string[] = [],
): ServiceStatus {
  const listen = parseListen(units.socket.Listen);
  const base: ServiceStatus = {
    name: cfg.name,
    init: 'systemd',
    state: 'not-installed',
    pid: null,
    port: listen?.port ?? null,
    host: listen?.host ?? null,
  };
  if (!isLoaded(units.socket) && !isLoaded(units.service)) return { ...base, port: null, host: null };
  const unfinished = incomplete(cfg, units, missing);
  if (unfinished) {
    return {
      ...base,
      state: 'failed',
      incomplete: true,
      reason: `an install did not finish (it was interrupted or killed): ${unfinished}`,
      fix: `install-service install --name ${cfg.name} (with the options you installed it with; it converges from what is on disk)`,
    };
  }
  const failed = [units.socket, units.service].find(isFailed);
  if (failed) {
    // Start limits count clean exits too: a service that kept exiting 0 without taking the socket ends here.
    const loop = /start-limit-hit/.test(failed.Result ?? '') && exitedCleanly(units.service);
    return loop
      ? { ...base, state: 'failed', reason: `${loopDiagnosis()} (${failureReason(failed)})`, fix: loopFix(cfg) }
      : { ...base, state: 'failed', reason: failureReason(failed), fix: `install-service repair --name ${cfg.name}` };
  }
  const pid = Number(units.service.MainPID ?? 0);
  if (isActive(units.service) && pid > 0) {
    const started = Number(units.service.ExecMainStartTimestampMonotonic ?? 0);
    const uptimeMs = started > 0 ? Math.max(0, Math.round((nowMicros - started) / 1000)) : null;
    return { ...base, state: 'running', pid, uptimeMs };
  }
  if (units.socket.ActiveState === 'active') return { ...base, state: 'listening' };
  // Installed and enabled, but someone stopped the socket (systemctl --user stop): nothing listens until it is started.
  return {
    ...base,
    state: 'stopped',
    reason: `${units.socket.Id} is stopped: nothing listens on the port until it is started`,
    fix: `systemctl --user start ${units.socket.Id}`,
  };
}

/** Reads both units and which files are on disk, and maps them (the CLI adds the /health probe). */
export async function systemdStatus(
  cfg: ServiceConfig,
  ctx: SystemContext,
  files: string[],
  now: () => number = monotonicMicros,
): Promise<ServiceStatus> {
  const st = statusFromUnits(
    cfg,
    await showUnits(cfg.name, ctx),
    now(),
    files.filter((f) => !existsSync(f)),
  );
  return withQueueCheck(st, cfg, ctx);
}
