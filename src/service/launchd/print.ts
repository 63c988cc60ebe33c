// Parses `launchctl print gui/<uid>/<label>`: the top-level fields only, since nested blocks (environment...) repeat names.

/** What status needs from a loaded job. */
export interface LaunchctlJob {
  /** "running", "not running", "spawn scheduled", ... (launchd's own words). */
  state: string | null;
  pid: number | null;
  /** The last exit code, or null when the job never exited (or only a signal is known). */
  lastExitCode: number | null;
  /** "Terminated: 15", "Killed: 9" when the job last ended by a signal. */
  lastSignal: string | null;
  /** How many times launchd has started the job. */
  runs: number | null;
  /** "spawn failed", "exited", "running"...: launchd's state of the last spawn, when it prints one. */
  jobState: string | null;
  /** "OS_REASON_CODESIGNING | ...": why the kernel or launchd ended or refused the last run, when known. */
  lastExitReason: string | null;
  /** The plist launchd loaded the job from. */
  path: string | null;
  /** The raw top-level fields, for anything else a caller wants to show. */
  fields: Record<string, string>;
}

/**
 * The top-level `key = value` lines of a `print` answer. Lines are tab-indented once at the top level; a value
 * of `{` opens a block that ends at a line holding only `}`. Nested blocks are skipped: `environment`,
 * `endpoints` and others contain lines such as "state = ..." or "last exit code = ..." that must not be read
 * as the job's own. Unknown lines are ignored, so a new launchctl that adds fields still parses.
 */
export function topLevelFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let depth = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '}' || line === '};') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    const m = /^("?[^=]+?"?)\s+=>?\s+(.*)$/.exec(line);
    if (line.endsWith('{')) {
      depth += 1;
      continue;
    }
    if (depth === 1 && m && !((m[1] as string) in fields)) fields[m[1] as string] = m[2] as string;
  }
  return fields;
}

const int = (value: string | undefined): number | null => {
  const m = value === undefined ? null : /^-?\d+/.exec(value);
  return m ? Number(m[0]) : null;
};

/** Reads a job from `launchctl print` output. "last exit code = 78: EX_CONFIG" gives 78; "(never exited)" gives null. */
export function parseLaunchctlPrint(text: string): LaunchctlJob {
  const fields = topLevelFields(text);
  return {
    state: fields.state ?? null,
    pid: int(fields.pid),
    lastExitCode: int(fields['last exit code']),
    lastSignal: fields['last terminating signal'] ?? null,
    runs: int(fields.runs),
    jobState: fields['job state'] ?? null,
    lastExitReason: fields['last exit reason'] ?? null,
    path: fields.path ?? null,
    fields,
  };
}
