// The launchd InitSystem: a LaunchAgent in ~/Library/LaunchAgents with a Sockets entry, loaded into gui/<uid>.
import { launchdProgramNotes } from './program.js';
import { dirname } from 'node:path';
import { launchdInstalledNames } from './address.js';
import { launchdProbe } from './probe.js';
import { isLaunchdManager, launchdPristine, launchdWords } from './words.js';
import { launchdPaths, renderLaunchdPlist } from './plist.js';
import { planLaunchdInstall, planLaunchdRepair, planLaunchdRestart, planLaunchdUninstall } from './plan.js';
import { launchdStatus } from './status.js';
import { launchdKnownElsewhere } from './foreign.js';
import { checkGuiDomain } from './steps.js';
import { checkNodeLoadsKoffi } from './koffi-check.js';
import type { InitSystem, ServiceConfig, ServiceLocations, SystemContext } from '../types.js';

export { planLaunchdRestart } from './plan.js';

function locations(cfg: ServiceConfig, ctx: SystemContext): ServiceLocations {
  const paths = launchdPaths(cfg, ctx);
  return { dir: dirname(paths.plist), files: [paths.plist], dirs: [paths.logDir] };
}

/** The launchd init system. Compiles and is tested on Linux: every launchctl call goes through ctx.run. */
export const launchd: InitSystem = {
  locations,
  render: (cfg, ctx) => [renderLaunchdPlist(cfg, ctx)],
  preflight: async (ctx) => {
    await checkGuiDomain(ctx);
    return { warnings: [] };
  },
  checkRuntime: (cfg, ctx) => checkNodeLoadsKoffi(cfg.node, ctx),
  planInstall: (cfg, files, ctx) => planLaunchdInstall(cfg, files, ctx),
  planUninstall: planLaunchdUninstall,
  planRepair: planLaunchdRepair,
  status: launchdStatus,
  planRestart: planLaunchdRestart,
  knownElsewhere: launchdKnownElsewhere,
  leftBehind: (cfg, ctx) => [`${launchdPaths(cfg, ctx).logDir}/ (the worker's logs)`],
  installedNames: launchdInstalledNames,
  // launchd keeps no journal: the job's stdout, stderr and the worker's own log, in ~/Library/Logs/NAME/.
  logArgv: (cfg, ctx, o) => {
    const p = launchdPaths(cfg, ctx);
    return ['tail', '-n', String(o.lines), ...(o.follow ? ['-F'] : []), p.workerLog, p.stderr, p.stdout];
  },
  programNotes: launchdProgramNotes,
  ...launchdProbe,
  words: launchdWords,
  // macOS has neither sock_diag nor /proc/net/tcp: the owner of a connection cannot be looked up.
  peerOwnerChecked: false,
  isManager: isLaunchdManager,
  pristine: launchdPristine,
};
