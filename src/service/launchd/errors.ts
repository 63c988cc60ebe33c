// The known launchctl failures, each turned into an error that says what happened and what to do.
import { commandFailed } from '../../error-messages.js';
import { InitsockError } from '../../errors.js';
import { describeFailure, type CommandResult } from '../../exec/runner.js';

/** launchctl exit codes (its own error numbers, shown as "Bootstrap failed: 5: Input/output error"). */
export const LAUNCHCTL = {
  /** EIO from bootstrap: the job is already loaded, or launchd refused the plist. */
  IO_ERROR: 5,
  /** ESRCH from bootout on some macOS versions: nothing to unload. */
  NO_SUCH_PROCESS: 3,
  /** EEXIST from bootstrap on older macOS: already loaded. */
  EXISTS: 17,
  /** EINPROGRESS from bootout: the job is still exiting; wait for it. */
  IN_PROGRESS: 36,
  /** "Could not find service": not loaded. */
  NOT_FOUND: 113,
  /** "Service is disabled". */
  DISABLED: 119,
  /** "Domain does not support specified action": no gui/<uid> domain (SSH session, no login at the screen). */
  NO_DOMAIN: 125,
  /** The runner's "could not start the command". */
  NOT_INSTALLED: 127,
} as const;

/** What a message needs to name. */
export interface JobRef {
  uid: number;
  label: string;
  plist: string;
  /** The plist's ExitTimeOut in seconds (derived from the shutdown budget): how long launchd may take to stop the job. */
  exitTimeoutS: number;
}

export const serviceTarget = (job: Pick<JobRef, 'uid' | 'label'>): string => `gui/${job.uid}/${job.label}`;

/** "no gui domain" is NO_INIT_SYSTEM (exit 3): nothing can be loaded until the user logs in at the screen. */
export function noGuiDomain(result: CommandResult, uid: number): InitsockError {
  return new InitsockError(
    'NO_INIT_SYSTEM',
    `${describeFailure(result)}. There is no gui/${uid} launchd domain for this user: that happens over SSH or before anyone has logged in at the Mac's screen. Log in at the screen (or Screen Sharing) and run install-service from a Terminal there.`,
    { details: { argv: result.argv, exitCode: result.code } },
  );
}

/**
 * Exit 5 (EIO) is launchctl's catch-all on macOS 13-15: besides "already loaded" and "bad plist" it also means the
 * Login Items "Background Items" toggle for the program is off, the service is disabled, there is no GUI session,
 * or a permission problem. launchctl prints more when the same bootstrap is run with sudo.
 */
function ioErrorFix(job: Pick<JobRef, 'uid' | 'label' | 'plist'>): string {
  const target = serviceTarget(job);
  return [
    `launchd refused ${job.plist}. Exit 5 has several causes:`,
    `${job.label} is already loaded (run \`launchctl bootout ${target}\` and try again);`,
    `the plist is invalid (\`plutil -lint ${job.plist}\`; the folders of StandardOutPath and WorkingDirectory must exist);`,
    'background items for node are switched off (System Settings > General > Login Items & Extensions: allow it);',
    `the service is disabled (\`launchctl enable ${target}\`); no one is logged in at the screen; or a permission problem.`,
    `For launchctl's own detail, run the bootstrap once with sudo (\`sudo launchctl bootstrap gui/${job.uid} ${job.plist}\`)`,
    'and read `log show --last 5m --predicate \'subsystem == "com.apple.xpc.launchd"\'`.',
  ].join(' ');
}

/** Turns a failed launchctl result into an InitsockError naming the command, its output and the fix. */
export function launchctlError(result: CommandResult, job: Pick<JobRef, 'uid' | 'label' | 'plist'>): InitsockError {
  const target = serviceTarget(job);
  const fail = describeFailure(result);
  const err = (fix: string): InitsockError => commandFailed(result, fix);
  switch (result.code) {
    case LAUNCHCTL.NOT_INSTALLED:
      return new InitsockError(
        'NO_INIT_SYSTEM',
        `${fail}. launchctl is not available: launchd services exist only on macOS. On Linux, install-service uses systemd --user.`,
        { details: { argv: result.argv, exitCode: result.code } },
      );
    case LAUNCHCTL.NO_DOMAIN:
      return noGuiDomain(result, job.uid);
    case LAUNCHCTL.IO_ERROR:
    case LAUNCHCTL.EXISTS:
      return err(ioErrorFix(job));
    case LAUNCHCTL.NOT_FOUND:
      return err(
        `${job.label} is not loaded in gui/${job.uid}. Load it with \`launchctl bootstrap gui/${job.uid} ${job.plist}\` or run install-service again.`,
      );
    case LAUNCHCTL.DISABLED:
      return err(
        `${job.label} is disabled in launchd's database, which outlives the plist. Run \`launchctl enable ${target}\`, then install-service again.`,
      );
    default:
      return err(
        `Check \`launchctl print ${target}\` and the logs in ~/Library/Logs/, then run install-service again.`,
      );
  }
}
