// The words and hints that name systemd's tools, for the installer's generic messages (see InitWords).
import type { CommandRunner } from '../../exec/runner.js';
import type { InitWords } from '../types.js';

export const systemdWords: InitWords = {
  folder: 'unit folder',
  keepChange: (name) =>
    `keep a local change in a drop-in (\`systemctl --user edit ${name}.service\`, never touched by initsock)`,
  workerLog: (name) => `See its log with \`journalctl --user -u ${name}.service -n 50\`.`,
  findPortHolder: 'Find it with `systemctl --user list-sockets`',
  afterFailure: (argv) => {
    const unit = argv.find((a) => /\.(socket|service)$/.test(a));
    if (argv[0] !== 'systemctl' || !unit) return 'Fix the cause shown above and run install-service again.';
    return `See \`systemctl --user status ${unit}\` and \`journalctl --user -u ${unit} -n 50\`, fix the cause, and run install-service again.`;
  },
};

/** The manager that holds a socket unit's port: the user's systemd (or PID 1 for a system unit). */
export const isSystemdManager = (owner: { pid: number; comm: string }): boolean =>
  owner.pid === 1 || owner.comm === 'systemd';

/** A machine where nothing is installed: `systemctl show` prints nothing (units unknown); nothing else is asked. */
export const systemdPristine: CommandRunner = async (argv) =>
  argv[0] === 'systemctl'
    ? { argv, code: 0, stdout: '', stderr: '' }
    : { argv, code: 1, stdout: '', stderr: 'print: nothing was asked' };
