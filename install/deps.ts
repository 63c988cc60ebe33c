// Everything the CLI touches outside itself, in one object: the real one for the bin, injected ones for tests.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { runCommand, type CommandRunner } from '../src/exec/runner.js';
import type { InitKind, InitSystem } from '../src/service/types.js';

export interface CliDeps {
  run: CommandRunner;
  env: NodeJS.ProcessEnv;
  cwd: string;
  uid: number;
  home: string;
  /** Prefix for system paths probed (/run/systemd/system, /proc...); '/' for real. */
  root: string;
  platform: NodeJS.Platform;
  /** The running node (process.execPath). */
  execPath: string;
  out(text: string): void;
  err(text: string): void;
  sleep(ms: number): Promise<void>;
  /** Picks the InitSystem for a kind (default: src/service/detect.ts). Tests inject theirs. */
  initFor?: (kind: InitKind) => InitSystem;
  /** Grace period before SIGKILL for --takeover, in ms (default 5000). */
  takeoverGraceMs?: number;
  /** Aborted on SIGINT/SIGTERM: a running install stops before its next step and rolls back. */
  signal?: AbortSignal;
  /** Runs a command with this process's stdout and stderr (logs -f streams until interrupted); resolves with its exit code. */
  stream?(argv: string[]): Promise<number>;
  /** Installs the SIGINT/SIGTERM handlers for a run that changes the system and returns their signal (real bin only). */
  trapInterrupts?: () => AbortSignal;
}

/**
 * The first SIGINT/SIGTERM aborts (the run rolls back and exits 1); a second one exits at once with 130, as a shell
 * expects from a user who insists.
 */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(
      `\ninstall-service: ${sig}: stopping after the current step and rolling back (again to quit at once)\n`,
    );
    controller.abort(sig);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  return controller.signal;
}

/** Spawns `argv` with inherited stdio; a missing program resolves 127 with the reason on stderr, as a shell would. */
export function streamInherited(argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (err) => {
      process.stderr.write(`install-service: cannot run ${argv[0]}: ${err.message}\n`);
      resolve(127);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' || signal === 'SIGPIPE' ? 0 : 1)));
  });
}

/** The real environment of this process. */
export function realDeps(): CliDeps {
  return {
    trapInterrupts: interruptSignal,
    run: runCommand,
    env: process.env,
    cwd: process.cwd(),
    uid: process.getuid?.() ?? 0,
    home: process.env.HOME || homedir(),
    root: '/',
    platform: process.platform,
    execPath: process.execPath,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    sleep: (ms) => delay(ms),
    stream: streamInherited,
  };
}
