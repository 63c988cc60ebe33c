// Who owns a job's runner: the user's systemd manager (a transient unit per key) or, without one, initsock's own detached runner.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InitsockError } from '../errors.js';

/** systemd: `systemd-run --user` units; process: a detached runner in its own session (launchd, or no init system). */
export type JobMode = 'systemd' | 'process';

/**
 * systemd when a user manager answers on $XDG_RUNTIME_DIR/systemd/private (what systemctl --user talks to), else
 * process. $INITSOCK_JOB_MODE=systemd|process forces one. A file check, so a hook pays no systemctl call for it.
 */
export function jobMode(env: NodeJS.ProcessEnv): JobMode {
  const forced = env.INITSOCK_JOB_MODE;
  if (forced === 'systemd' || forced === 'process') return forced;
  if (forced) {
    throw new InitsockError(
      'INVALID_VALUE',
      `INITSOCK_JOB_MODE=${JSON.stringify(forced)} is not a job mode. ` +
        'Use systemd or process, or unset it to detect the user manager.',
    );
  }
  const runtime = env.XDG_RUNTIME_DIR;
  if (process.platform === 'darwin' || !runtime || !isAbsolute(runtime)) return 'process';
  return existsSync(join(runtime, 'systemd', 'private')) ? 'systemd' : 'process';
}
