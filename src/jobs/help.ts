// Help texts of `initsock job` and its verbs.

export const JOB_HELP = `Usage: initsock job <verb> [options]

Keyed singleton jobs for hooks: at most one run per key at a time; triggers that arrive during a run are
coalesced into one follow-up run that starts as soon as the active run ends.

Verbs:
  run --key KEY [options] -- CMD ARG...   trigger the job (returns at once: started, queued or already-queued)
  list [--json]                           every job: key, state, pid, started, pending follow-up, last result
  logs KEY [-n LINES] [-f]                the job's output (journal under systemd, else a bounded log file)
  stop KEY                                stop the active run with its whole process tree, drop the follow-up

Run \`initsock job run --help\` for the options and exit codes.
`;

export const RUN_HELP = `Usage: initsock job run --key KEY [options] -- CMD ARG...

Triggers the job KEY. With nothing running it starts CMD now ("started"). While a run is active it leaves one
follow-up ("queued"), or finds one already waiting ("already-queued"); every trigger is covered by a run that
starts after it. The run belongs to the user's systemd manager (a transient unit named from the key) when there
is one, else to a detached initsock runner; it survives the caller and stops with its whole process tree.

Options:
  -k, --key KEY            names the job; any non-empty string (e.g. "mine:$PWD:convos")
  -w, --wait               return when a run that started after this call has ended, with its exit code
  -t, --timeout DUR        give up waiting after DUR (default: 10s without --wait, none with it)
      --max-runtime DUR    stop a run (its whole tree) that takes longer than DUR
      --max-parallel N     at most N runs at once across all keys started with this flag
      --tasks-max N        cap on the run's processes and threads (systemd TasksMax=; systemd only)
      --memory-max SIZE    cap on the run's memory, e.g. 512M (systemd MemoryMax=; systemd only)
  -h, --help               show this help

Set INITSOCK_JOB_MODE=process to run without systemd even where a user manager is available.

Exit codes:
  0  triggered (without --wait)             124  --timeout passed (the run goes on)
  N  with --wait: the run's exit code        125  with --wait: the run was stopped before it started
     (128+signal when a signal ended it)     7    the runner could not be started (systemd-run failed)
  2  bad input: empty key, no command, a command that does not exist, a bad flag
  1  unexpected internal error
`;
