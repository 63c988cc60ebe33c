// What launchd allows for a program run as the service (--exec, --adopt): it passes sockets only through launch_activate_socket.
import { InitsockError } from '../../errors.js';
import { LAUNCHD_SOCKET_KEY } from '../../contract/index.js';
import type { ServiceConfig } from '../types.js';

/** Refuses --adopt, and warns about --exec: launchd sets no LISTEN_FDS, so the preloads have nothing to take. */
export function launchdProgramNotes(cfg: ServiceConfig): string[] {
  if (cfg.program === undefined || cfg.program.mode === 'proxy') return [];
  if (cfg.program.mode === 'adopt') {
    throw new InitsockError(
      'BAD_USAGE',
      '--adopt needs systemd: its preloads take the socket systemd passes as fd 3 ' +
        '(LISTEN_FDS), and launchd passes sockets only to a program that asks launch_activate_socket for them. On macOS use ' +
        "--proxy-port PORT -- CMD ARG… (initsock's worker takes the socket and runs your program behind it).",
    );
  }
  return [
    `on launchd, --exec only works for a program that takes its socket itself with launch_activate_socket("${LAUNCHD_SOCKET_KEY}"): ` +
      'launchd sets no LISTEN_FDS. For any other program use --proxy-port PORT -- CMD ARG….',
  ];
}
