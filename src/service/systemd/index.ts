// The systemd --user InitSystem: unit locations, rendering (src/service/systemd/units.ts), preflight, plans and status.
import { join } from 'node:path';
import { systemdInstalledNames, systemdUnitDir } from './address.js';
import { systemdProbe } from './probe.js';
import { isSystemdManager, systemdPristine, systemdWords } from './words.js';
import { systemdUnitFiles } from './units.js';
import type { InitSystem, RenderedFile, ServiceConfig, SystemContext } from '../types.js';
import { systemdPreflight } from './preflight.js';
import { planSystemdInstall, planSystemdRepair, planSystemdRestart, planSystemdUninstall } from './plan.js';
import { monotonicMicros, systemdStatus } from './status.js';
import { systemdKnownElsewhere, systemdLeftBehind } from './foreign.js';
import { watchSystemdStart } from './watch.js';

export { systemdUnitDir };

export interface SystemdOptions {
  /** Renders the unit files (default: systemdUnitFiles from src/service/systemd/units.ts). */
  renderFiles?: (cfg: ServiceConfig, unitDir: string) => RenderedFile[];
  /** CLOCK_MONOTONIC in µs, for uptimes (default: the real one). */
  monotonicMicros?: () => number;
}

/** Builds a systemd InitSystem; the options exist for tests. */
export function createSystemd(opts: SystemdOptions = {}): InitSystem {
  const renderFiles = opts.renderFiles ?? systemdUnitFiles;
  const locations = (cfg: ServiceConfig, ctx: SystemContext) => {
    const dir = systemdUnitDir(ctx);
    // Only the two units: NAME.service.d/ drop-ins belong to the user and are never touched.
    return { dir, files: [join(dir, `${cfg.name}.socket`), join(dir, `${cfg.name}.service`)], dirs: [] };
  };
  return {
    locations,
    render: (cfg, ctx) => renderFiles(cfg, systemdUnitDir(ctx)),
    preflight: systemdPreflight,
    planInstall: planSystemdInstall,
    planUninstall: (cfg, ctx) => planSystemdUninstall(cfg, locations(cfg, ctx).files, ctx),
    planRepair: planSystemdRepair,
    planRestart: planSystemdRestart,
    status: (cfg, ctx) => systemdStatus(cfg, ctx, locations(cfg, ctx).files, opts.monotonicMicros ?? monotonicMicros),
    knownElsewhere: (cfg, ctx) => systemdKnownElsewhere(cfg.name, locations(cfg, ctx).files, ctx),
    leftBehind: (cfg, ctx) => systemdLeftBehind(cfg.name, systemdUnitDir(ctx)),
    watchStart: watchSystemdStart,
    installedNames: systemdInstalledNames,
    logArgv: (cfg, _ctx, o) => [
      'journalctl',
      '--user',
      '-u',
      `${cfg.name}.service`,
      '-n',
      String(o.lines),
      '--no-pager',
      ...(o.follow ? ['-f'] : []),
    ],
    ...systemdProbe,
    words: systemdWords,
    peerOwnerChecked: true,
    isManager: isSystemdManager,
    pristine: systemdPristine,
  };
}

/** The systemd --user init system. */
export const systemd: InitSystem = createSystemd();
