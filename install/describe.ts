// One-line descriptions of steps and argvs, shared by print/--dry-run, progress lines and rollback reports.
import type { Step } from '../src/service/types.js';

/** Arguments quoted for display the way a POSIX shell would need them (display only: nothing is run through a shell). */
import { quoteArg, quoteCommand as showArgv } from '../src/error-messages.js';

export { quoteArg, showArgv };

export const octal = (mode: number): string => `0${mode.toString(8).padStart(3, '0')}`;

/** What a step does, in one line. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'write':
      return `write ${step.file.path} (mode ${octal(step.file.mode)})`;
    case 'remove':
      return `remove ${step.path}`;
    case 'mkdir':
      return `create folder ${step.path} (mode ${octal(step.mode)})`;
    case 'run':
      return `run: ${showArgv(step.argv)}`;
    case 'action':
      return step.description;
  }
}
