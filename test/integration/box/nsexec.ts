// Runs commands inside every namespace of a box (nsenter -t PID -a), to completion or as long-running children.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { runCommand, type CommandResult } from '../../../src/exec/runner.js';

export interface BoxExecOptions {
  /** Extra environment, merged over a minimal one (PATH, no pager, no colours). The host env is NOT inherited. */
  env?: Record<string, string>;
  /** Text written to stdin. */
  input?: string;
  /** Kill nsenter after this long (default 30 s); the result then has code 124. */
  timeoutMs?: number;
}

/** The environment every box command starts from. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    SYSTEMD_PAGER: '',
    SYSTEMD_COLORS: '0',
    ...extra,
  };
}

function nsenterArgv(pid: number, argv: string[]): string[] {
  if (argv.length === 0) throw new TypeError('box exec: empty argv');
  return ['nsenter', '-t', String(pid), '-a', '--', ...argv];
}

/** Runs argv inside the box and resolves with its exit code and output (never rejects on a non-zero exit). */
export async function nsExec(pid: number, argv: string[], options: BoxExecOptions = {}): Promise<CommandResult> {
  const result = await runCommand(nsenterArgv(pid, argv), {
    env: baseEnv(options.env),
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return { ...result, argv };
}

/**
 * Starts argv inside the box and returns the nsenter child (stdio piped). nsenter does not forward signals:
 * end a long-running client through its stdin or its own logic; box.stop() kills whatever is left.
 */
export function nsSpawn(
  pid: number,
  argv: string[],
  options: { env?: Record<string, string> } = {},
): ChildProcessWithoutNullStreams {
  const [file, ...args] = nsenterArgv(pid, argv);
  return spawn(file as string, args, { env: baseEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
}
