// Checks for values that validate as such but that the worker would refuse once installed: the host it answers, an app it can import.
import { InitsockError } from '../src/errors.js';
import { LOOPBACK_NAMES } from '../src/security/host-header.js';
import { unimportableReason } from '../src/worker/user-app.js';

/** The listen hosts the worker's Host check admits without an allow-list (LOOPBACK_NAMES, without IPv6 brackets). */
const SERVED = LOOPBACK_NAMES.map((n) => n.replace(/^\[(.*)\]$/, '$1'));

/**
 * Throws INVALID_VALUE for a loopback --host the worker would not answer: its Host check admits exactly the names
 * clients and browsers send for loopback (127.0.0.1, localhost, [::1]), so 127.0.0.2 or ::ffff:127.0.0.1 would
 * fail every request, the health check included. Non-loopback hosts are left to --expose-to-network.
 */
export function assertServedHost(host: string, loopback: boolean): void {
  if (!loopback || SERVED.includes(host.toLowerCase())) return;
  throw new InitsockError(
    'INVALID_VALUE',
    `--host ${JSON.stringify(host)} is a loopback address the worker does not answer: its Host ` +
      `check admits only ${LOOPBACK_NAMES.join(', ')} (what clients send). Pass --host 127.0.0.1 or --host ::1.`,
    { details: { option: '--host', value: host } },
  );
}

/** Throws INVALID_VALUE for an --app the worker could not import (checked by the worker's own rule). */
export function assertImportableApp(path: string): void {
  const why = unimportableReason(path);
  if (why)
    throw new InitsockError('INVALID_VALUE', `--app ${JSON.stringify(path)} cannot be loaded by the worker: ${why}.`, {
      details: { option: '--app', value: path },
    });
}
