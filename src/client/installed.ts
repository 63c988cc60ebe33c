// Finds an installed init-system service for a port without asking the init system: each one's claimsPort probe, native first.
import { findPortClaim } from '../service/address.js';
import type { InstalledService } from '../service/types.js';
import { homeOf } from './paths.js';

export type { InstalledService };
export { socketUnitListensOn } from '../service/systemd/address.js';
export { plistNamesPort } from '../service/launchd/address.js';

/**
 * Returns the first unit or plist that claims `port` (or is named after `name`), or null: the same probe the
 * installer's init systems expose (InitProbe.claimsPort). Unreadable files and folders count as "not installed".
 */
export function findInstalledService(
  port: number,
  name: string,
  env: NodeJS.ProcessEnv,
  platform = process.platform,
): InstalledService | null {
  return findPortClaim(port, name, { env, home: homeOf(env) }, platform);
}
