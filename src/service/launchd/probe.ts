// launchd's light half: where an installed LaunchAgent listens and which plist claims a port, read from its folder.
import type { InitProbe } from '../types.js';
import { launchdAddress, launchdClaimsPort } from './address.js';

export const launchdProbe: InitProbe = {
  kind: 'launchd',
  title: 'launchd (macOS)',
  native: (platform) => platform === 'darwin',
  installedAddress: launchdAddress,
  claimsPort: launchdClaimsPort,
};
