// Why a launchd job's last run failed, in words, from the fields `launchctl print` shows for it.
import type { LaunchctlJob } from './print.js';

/**
 * `last exit reason` namespaces (the kernel's OS_REASON_* and launchd's own), with what they mean for a user.
 * On macOS 12+ a job that could never run shows one of these and often no `last exit code` line at all.
 */
const REASONS: ReadonlyArray<[RegExp, string]> = [
  [/OS_REASON_CODESIGNING/, "macOS refused the program's code signature (a quarantined or unsigned node binary)"],
  [
    /OS_REASON_DYLD/,
    'the dynamic loader could not load the program or one of its libraries (a moved, deleted or wrong-architecture node)',
  ],
  [
    /OS_REASON_TCC/,
    'macOS privacy controls (TCC) denied the program access: allow it under System Settings > Privacy & Security',
  ],
  [/JETSAM/, 'macOS killed the worker for using too much memory (jetsam)'],
  [/OS_REASON_EXEC/, 'the program could not be executed (not executable, or not a program)'],
];

/** The reason in words, or the raw text when it is one launchd has that this table does not know. */
function exitReasonWords(reason: string): string {
  for (const [pattern, words] of REASONS) if (pattern.test(reason)) return `${words} [${reason}]`;
  return `launchd reports "${reason}"`;
}

/** A signal that means the job crashed or was killed (SIGTERM is how launchd stops a job: bootout, kickstart -k). */
const crashSignal = (signal: string | null): boolean => signal !== null && !/Terminated: 15/.test(signal);

/** Why the last run of `job` failed, or null when it ended cleanly, was stopped by launchd, or never ran. */
export function lastFailure(job: LaunchctlJob): string | null {
  const reason = job.lastExitReason === null ? null : exitReasonWords(job.lastExitReason);
  if (job.jobState === 'spawn failed')
    return `launchd could not start the worker (job state = spawn failed)${reason ? `: ${reason}` : ''}`;
  if (crashSignal(job.lastSignal))
    return `the worker was last killed by a signal (${job.lastSignal})${reason ? `: ${reason}` : ''}`;
  const code = job.lastExitCode;
  if (code !== null && code !== 0) {
    const hint =
      code === 78 ? ' (EX_CONFIG: not socket-activated, a bad setting, or a log path launchd could not open)' : '';
    return `the worker last exited with code ${code}${hint}${reason ? `: ${reason}` : ''}`;
  }
  // A reason with no code and no signal: the kernel refused or ended the run before it could exit on its own.
  if (reason !== null && code === null && job.lastSignal === null) return `the worker's last run was ended: ${reason}`;
  return null;
}
