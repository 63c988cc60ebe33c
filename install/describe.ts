// One-line descriptions of steps and argvs, shared by print/--dry-run, progress lines and rollback reports.
import type { Step } from '../src/service/types.js';

/** Quotes an argument for display the way a POSIX shell would need it (display only: nothing is run through a shell). */
export function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export const showArgv = (argv: string[]): string => argv.map(quoteArg).join(' ');

export const octal = (mode: number): string => `0${mode.toString(8).padStart(3, '0')}`;

/** What a step does, in one line. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'write': return `write ${step.file.path} (mode ${octal(step.file.mode)})`;
    case 'remove': return `remove ${step.path}`;
    case 'mkdir': return `create folder ${step.path} (mode ${octal(step.mode)})`;
    case 'run': return `run: ${showArgv(step.argv)}`;
    case 'action': return step.description;
  }
}
