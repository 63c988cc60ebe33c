// The fixed shell wrapper that gives the worker LISTEN_PID = its own pid and closes every fd it should not inherit.
import { existsSync } from 'node:fs';

/**
 * Node cannot set the environment between fork and exec, and LISTEN_PID must equal the worker's own
 * pid, so a shell sets LISTEN_PID=$$ and execs the worker (exec keeps the pid). The script is a
 * constant: the worker's path and arguments arrive as "$0" "$@", never inside the script.
 *
 * It also closes every inherited fd above 3 (0-2 are /dev/null and the log file, 3 is the socket),
 * found by listing /proc/$$/fd (Linux) or /dev/fd (macOS): libuv only sets up the fds it is given,
 * so any fd the hook itself inherited without CLOEXEC would otherwise leak into a long-lived worker.
 * (Node marks fds 0-15 CLOEXEC at start-up, uv_disable_stdio_inheritance, but beyond 15 it stops at the
 * first gap: an fd such as 40 or 251 that a shell or a supervisor passed down still reaches the child.)
 * dash (Debian's /bin/sh) cannot name fds above 9 in a redirection (`exec 12>&-` runs a command
 * "12"), so the shell is bash when present, and the subshell probe skips fds >= 10 in a shell that
 * cannot close them instead of breaking the exec.
 */
export const WRAPPER_SCRIPT = [
  'LISTEN_PID=$$; export LISTEN_PID',
  'd=/proc/$$/fd; [ -d "$d" ] || d=/dev/fd',
  'wide=; (eval "exec 10>&-") 2>/dev/null && wide=1',
  'for f in "$d"/*; do',
  '  n=${f##*/}',
  '  case $n in ""|*[!0-9]*|0|1|2|3) continue ;; ?) ;; *) [ -n "$wide" ] || continue ;; esac',
  '  eval "exec $n>&-"',
  'done',
  'exec "$0" "$@"',
].join('\n');

/** bash when installed (it can close any fd), else the POSIX /bin/sh. */
export function wrapperShell(): string {
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

/** The argv that runs `command` (an array, passed through untouched) under the wrapper. */
export function wrapperArgv(command: string[]): { file: string; args: string[] } {
  return { file: wrapperShell(), args: ['-c', WRAPPER_SCRIPT, ...command] };
}

/** Variables a shell would read as code or options at startup; dropped from the wrapper's environment. */
export function isShellStartupVar(key: string): boolean {
  return ['BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS'].includes(key) || key.startsWith('BASH_FUNC_');
}
