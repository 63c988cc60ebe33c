// install-service's entry: parse, validate, dispatch to a subcommand, and map every error to its exit code and message.
import { exitCodeFor as exitFor, isInitsockError } from '../src/errors.js';
import { parseCli, type Subcommand } from './args.js';
import { buildSettings, type Settings } from './config.js';
import type { CliDeps } from './deps.js';
import { packageVersion } from '../src/worker/health.js';
import { HELP } from './help.js';
import { withLock } from './lock.js';
import { installCommand } from './commands/install.js';
import { printCommand } from './commands/print.js';
import { repairCommand } from './commands/repair.js';
import { statusCommand } from './commands/status.js';
import { uninstallCommand } from './commands/uninstall.js';
import { listCommand } from './commands/list.js';
import { logsCommand } from './commands/logs.js';
import { restartCommand } from './commands/restart.js';

/** Exit codes: 0 done, 1 failed and rolled back, 2 bad usage or input, 3 no usable init system (docs/errors.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, noInit: 3 } as const;

const COMMANDS: Record<Subcommand, (s: Settings, deps: CliDeps) => Promise<number>> = {
  install: installCommand,
  uninstall: uninstallCommand,
  status: statusCommand,
  print: printCommand,
  repair: repairCommand,
  restart: restartCommand,
  list: listCommand,
  logs: logsCommand,
};

/** The exit code for an error: its kind's (src/errors.ts); a failure during apply is always 1 (it was rolled back). */
export const exitCodeFor = (err: unknown): number => exitFor('install-service', err);

function reportError(err: unknown, argv: string[], deps: CliDeps): number {
  const code = exitCodeFor(err);
  const message = isInitsockError(err) ? err.message : `internal error: ${(err as Error)?.stack ?? String(err)}`;
  deps.err(`install-service: ${message}\n`);
  if (argv.includes('--json')) {
    deps.out(
      `${JSON.stringify({ error: { code: isInitsockError(err) ? err.code : 'INTERNAL', message, exitCode: code } }, null, 2)}\n`,
    );
  }
  return code;
}

/** Runs install-service with `argv` (without node and the script) and resolves with the exit code. */
export async function main(argv: string[], deps: CliDeps): Promise<number> {
  try {
    const parsed = parseCli(argv);
    if (parsed.options.help || parsed.options.version) {
      deps.out(parsed.options.help ? HELP : `${packageVersion()}\n`);
      return EXIT.ok;
    }
    const s = await buildSettings(parsed, deps);
    const changes = ['install', 'uninstall', 'repair', 'restart'].includes(s.command) && !s.dryRun;
    const signal = changes ? deps.trapInterrupts?.() : undefined;
    const d = signal ? { ...deps, signal } : deps;
    const run = (): Promise<number> => COMMANDS[s.command](s, d);
    // Two runs changing one service at once would plan against the same state and mix their files: one at a time.
    return await (changes ? withLock(s.cfg.name, d, run) : run());
  } catch (err) {
    return reportError(err, argv, deps);
  }
}
