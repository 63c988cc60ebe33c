// The command runner: every external command (systemctl, launchctl, ...) goes through here as an argv array, never a shell string.
import { childProcess } from '../util/builtin.js';

export interface CommandResult {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Environment for the command (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Give up after this many ms (default 30 s); the result then has code 124. */
  timeoutMs?: number;
  /** Text written to the command's stdin. */
  input?: string;
}

/**
 * Runs a command and resolves with its exit code and output; it never rejects for a non-zero exit
 * (callers decide what a failure means). A command that cannot be started resolves with code 127.
 * Tests inject their own runner that records calls and returns scripted results.
 */
export type CommandRunner = (argv: string[], options?: RunOptions) => Promise<CommandResult>;

/** The real runner, backed by child_process.spawn with no shell. */
export const runCommand: CommandRunner = (argv, options = {}) =>
  new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) throw new TypeError('runCommand: empty argv');
    const child = childProcess().spawn(file, args, {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 30_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ argv, code: 127, stdout, stderr: stderr + String(err.message) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ argv, code: timedOut ? 124 : (code ?? (signal ? 128 : 1)), stdout, stderr });
    });
    child.stdin.on('error', () => {
      /* the command may exit before reading its input */
    });
    child.stdin.end(options.input ?? '');
  });

/** A one-line description of a failed command for error messages (see error-messages.ts). */
export { describeFailure } from '../error-messages.js';
