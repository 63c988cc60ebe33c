// The registry of init systems: which one serves this machine, or a named one (for `print --init`).
import type { InitKind, InitSystem } from './types.js';
import { launchd } from './launchd/index.js';
import { nativeProbe } from './probes.js';
import { systemd } from './systemd/index.js';

/** The init system a platform uses for per-user services (the first probe in src/service/probes.ts that claims it). */
export function nativeInitKind(platform: NodeJS.Platform): InitKind {
  return nativeProbe(platform).kind;
}

const registry: Record<InitKind, InitSystem> = { systemd, launchd };

/** The InitSystem for `kind`. Every one compiles and plans on every OS; only install/uninstall need the native one. */
export function initSystemFor(kind: InitKind): InitSystem {
  return registry[kind];
}
