// The registry of init systems' light halves, in the order that picks the native one (the first that claims a platform).
import { launchdProbe } from './launchd/probe.js';
import { systemdProbe } from './systemd/probe.js';
import type { InitKind, InitProbe } from './types.js';

/** The light halves, in order. A function, so that a module the probes themselves import (record.ts) may use it. */
export const initProbes = (): readonly InitProbe[] => [launchdProbe, systemdProbe];

/** The init system `platform` uses for per-user services. */
export function nativeProbe(platform: NodeJS.Platform): InitProbe {
  const probes = initProbes();
  return probes.find((p) => p.native(platform)) ?? probes[probes.length - 1]!;
}

/** Every probe, this platform's first. */
export function probesNativeFirst(platform: NodeJS.Platform): InitProbe[] {
  const first = nativeProbe(platform);
  return [first, ...initProbes().filter((p) => p !== first)];
}

/** The registered init systems' names, for --init and its help. */
export const initKinds = (): InitKind[] => initProbes().map((p) => p.kind);
