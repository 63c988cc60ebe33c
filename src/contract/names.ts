// The service-name grammar every side checks (installer, worker, client, renderers), and the default names.

/** The service name used when none is given. */
export const DEFAULT_SERVICE_NAME = 'initsock-worker';

/** The launchd Sockets key the plist declares and the worker asks launch_activate_socket for. */
export const LAUNCHD_SOCKET_KEY = 'Listeners';

/**
 * At most 64 characters: the strictest consumer is the worker's --name/--socket-name check, and 64 keeps the derived
 * names well inside every limit downstream (the launchd label com.initsock.NAME within the label limit, NAME.service
 * within systemd's 255-character unit names, the token and log folder names within NAME_MAX).
 */
export const SERVICE_NAME_MAX = 64;

/** Letters, digits, ".", "_" and "-"; never starting with "." (a hidden or parent folder) or "-" (read as a flag). */
export const SERVICE_NAME_PATTERN = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,${SERVICE_NAME_MAX - 1}}$`);

/** The rule in words, for error messages and help text. */
export const SERVICE_NAME_RULE = `1 to ${SERVICE_NAME_MAX} letters, digits, ".", "_" or "-", starting with a letter, digit or "_"`;

/** True when `value` is a valid service (or launchd socket) name. */
export function isServiceName(value: string): boolean {
  return SERVICE_NAME_PATTERN.test(value);
}

/** The default launchd label for a service name. */
export function defaultLabel(name: string): string {
  return `com.initsock.${name}`;
}

/** launchd labels use the name's characters; the longest one the installer writes. */
export const LABEL_MAX = 100;
const LABEL_PATTERN = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,${LABEL_MAX - 1}}$`);
export const LABEL_RULE = `1 to ${LABEL_MAX} letters, digits, ".", "_" or "-", starting with a letter, digit or "_"`;

/** True when `value` is a valid launchd label. */
export function isLabel(value: string): boolean {
  return LABEL_PATTERN.test(value);
}
