// The words and hints that name launchd's tools, for the installer's generic messages (see InitWords).
import type { CommandRunner } from '../../exec/runner.js';
import type { InitWords } from '../types.js';
import { LAUNCHCTL } from './errors.js';

export const launchdWords: InitWords = {
  folder: 'LaunchAgents folder',
  keepChange: () =>
    'pass a local change as a flag (--env KEY=VALUE, --working-dir...), since a LaunchAgent has no drop-ins',
  workerLog: (name) => `See its log in ~/Library/Logs/${name}/.`,
  findPortHolder: 'Find it with `launchctl list`',
  afterFailure: () =>
    'See `launchctl print gui/$(id -u)` and the log folder, fix the cause, and run install-service again.',
};

/** launchd (PID 1 on macOS) holds the sockets of every LaunchAgent. */
export const isLaunchdManager = (owner: { pid: number; comm: string }): boolean =>
  owner.pid === 1 || owner.comm === 'launchd';

/** A machine where nothing is installed: launchctl knows no such service. */
export const launchdPristine: CommandRunner = async (argv) => ({
  argv,
  code: LAUNCHCTL.NOT_FOUND,
  stdout: '',
  stderr: 'Could not find service (print: nothing was asked)',
});
