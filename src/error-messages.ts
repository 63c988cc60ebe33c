// The recurring shapes of error messages: an invalid value (flag, value, fix) and a failed command quoted for a shell.
import { InitsockError } from './errors.js';

/** A value as it appears in a message: JSON-quoted (so a newline shows as \n) and cut to a readable length. */
export function showValue(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/**
 * `--flag "value" why. fix`: what was passed, what is wrong with it, and what to pass instead. The code is
 * INVALID_VALUE unless the value would change a rendered file's meaning (UNSAFE_VALUE).
 */
export function invalidValue(
  flag: string,
  value: string,
  why: string,
  fix: string,
  code: 'INVALID_VALUE' | 'UNSAFE_VALUE' = 'INVALID_VALUE',
): InitsockError {
  return new InitsockError(code, `${flag} ${showValue(value)} ${why}. ${fix}`, { details: { option: flag, value } });
}

/** Quotes one argument the way a POSIX shell needs it, so a quoted command can be pasted back as it ran. */
export function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command as one line a user can paste into a shell. */
export function quoteCommand(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

/** What a finished command left behind. */
export interface FailedCommand {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** "`cmd args` exited with N: last lines of stderr", the command quoted so it can be run again by hand. */
export function describeFailure(result: FailedCommand): string {
  const err = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
  return `\`${quoteCommand(result.argv)}\` exited with ${result.code}${err ? `: ${err}` : ''}`;
}

/** COMMAND_FAILED for `result`: the quoted command, its exit code and stderr, then `fix`. */
export function commandFailed(
  result: FailedCommand,
  fix: string,
  details: Record<string, unknown> = {},
): InitsockError {
  return new InitsockError('COMMAND_FAILED', `${describeFailure(result).replace(/[.\s]*$/, '.')} ${fix}`, {
    details: { argv: result.argv, exitCode: result.code, stderr: result.stderr.trim(), ...details },
  });
}
