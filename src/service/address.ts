// What a hook's client asks of every init system, light enough for each call: which address service NAME listens on, who claims a port.
import { probesNativeFirst } from './probes.js';
import type { AddressContext, InstalledAddress, InstalledService } from './types.js';

/** Where service `name` is installed to listen: this platform's init system first, then the others; null when nowhere. */
export function findInstalledAddress(
  name: string,
  ctx: AddressContext,
  platform: NodeJS.Platform = process.platform,
): InstalledAddress | null {
  for (const probe of probesNativeFirst(platform)) {
    const found = probe.installedAddress(name, ctx);
    if (found) return found;
  }
  return null;
}

/**
 * The installed service that owns `port` for service `name`: its own unit or plist (wherever it listens), else the
 * first of any init system that listens on the port; null when none. Native init system first.
 */
export function findPortClaim(
  port: number,
  name: string,
  ctx: AddressContext,
  platform: NodeJS.Platform = process.platform,
): InstalledService | null {
  const probes = probesNativeFirst(platform);
  for (const probe of probes) {
    const own = probe.installedAddress(name, ctx);
    if (own) return { init: own.init, path: own.file };
  }
  for (const probe of probes) {
    const found = probe.claimsPort(port, ctx);
    if (found) return found;
  }
  return null;
}

/** "127.0.0.1:37777" or "[::1]:37777". */
export const formatAddress = (a: { host: string; port: number }): string =>
  `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
