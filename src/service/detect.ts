// The one place that picks the platform: which InitSystem serves this machine, or a named one (for `print --init`).
import type { InitKind, InitSystem } from './types.js';
import { launchd } from './launchd/index.js';
import { systemd } from './systemd/index.js';

/** The init system a platform uses for per-user services: launchd on macOS, systemd --user elsewhere. */
export function nativeInitKind(platform: NodeJS.Platform): InitKind {
  return platform === 'darwin' ? 'launchd' : 'systemd';
}

const registry: Record<InitKind, InitSystem> = { systemd, launchd };

/** The InitSystem for `kind`. Every one compiles and plans on every OS; only install/uninstall need the native one. */
export function initSystemFor(kind: InitKind): InitSystem {
  return registry[kind];
}
