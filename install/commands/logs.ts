// `install-service logs`: the service's log through its init system (journalctl, or launchd's log files), else the fallback worker's log.
import { existsSync } from 'node:fs';
import { InitsockError } from '../../src/errors.js';
import { workerLogFile } from '../../src/client/paths.js';
import type { Settings } from '../config.js';
import { initFor, systemContext } from '../context.js';
import { streamInherited, type CliDeps } from '../deps.js';
import { showArgv } from '../describe.js';

/** Exit code when there is no log at all: nothing installed and no fallback worker ever ran (as status: not installed). */
export const NO_LOG_EXIT = 4;

function lineCount(raw: string | undefined): number {
  if (raw === undefined) return 50;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) {
    throw new InitsockError(
      'INVALID_VALUE',
      `-n/--lines ${JSON.stringify(raw)} is not a line count. Pass a whole number from 1, e.g. -n 200.`,
    );
  }
  return Number(raw);
}

/** The command that shows the log: the installed service's, else the fallback worker's log file; null when neither exists. */
export function logArgv(s: Settings, deps: CliDeps): string[] | null {
  const init = initFor(s.init, deps);
  const ctx = systemContext(deps);
  const opts = { follow: s.follow, lines: lineCount(s.lines) };
  if (init.installedAddress(s.cfg.name, ctx) && init.logArgv) return init.logArgv(s.cfg, ctx, opts);
  const file = workerLogFile(s.cfg.name, deps.env);
  return existsSync(file) ? ['tail', '-n', String(opts.lines), ...(opts.follow ? ['-F'] : []), file] : null;
}

export async function logsCommand(s: Settings, deps: CliDeps): Promise<number> {
  const argv = logArgv(s, deps);
  if (argv === null) {
    deps.err(
      `install-service: ${s.cfg.name} is not installed, and no fallback worker has written ${workerLogFile(s.cfg.name, deps.env)} yet.\n`,
    );
    return NO_LOG_EXIT;
  }
  deps.err(`# ${showArgv(argv)}\n`);
  return (deps.stream ?? streamInherited)(argv);
}
