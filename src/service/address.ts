// The installed-address probes of every init system, light enough for a hook's client: which address service NAME listens on.
import { launchdAddress } from './launchd/address.js';
import { systemdAddress } from './systemd/address.js';
import type { AddressContext, InitKind, InstalledAddress } from './types.js';

/** One probe per init system (the same functions the InitSystem objects expose as installedAddress). */
const PROBES: Record<InitKind, (name: string, ctx: AddressContext) => InstalledAddress | null> = {
  systemd: systemdAddress,
  launchd: launchdAddress,
};

/** Where service `name` is installed to listen: this platform's init system first, then the others; null when nowhere. */
export function findInstalledAddress(name: string, ctx: AddressContext, platform: NodeJS.Platform = process.platform): InstalledAddress | null {
  const first: InitKind = platform === 'darwin' ? 'launchd' : 'systemd';
  const order = [first, ...(Object.keys(PROBES) as InitKind[]).filter((k) => k !== first)];
  for (const kind of order) {
    const found = PROBES[kind](name, ctx);
    if (found) return found;
  }
  return null;
}

/** "127.0.0.1:37777" or "[::1]:37777". */
export const formatAddress = (a: { host: string; port: number }): string => `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
