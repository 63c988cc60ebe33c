// systemd's light half: where an installed unit listens and which unit claims a port, read from the unit folder.
import type { InitProbe } from '../types.js';
import { systemdAddress, systemdClaimsPort } from './address.js';

export const systemdProbe: InitProbe = {
  kind: 'systemd',
  title: 'systemd --user (Linux)',
  // The fallback: every platform no other init system claims (it is listed last in src/service/probes.ts).
  native: () => true,
  installedAddress: systemdAddress,
  claimsPort: systemdClaimsPort,
};
