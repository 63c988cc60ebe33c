// Checks a job's command before anything is recorded: it must name an executable file, found the way spawn will find it.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { InitsockError } from '../errors.js';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Throws BAD_USAGE when argv is empty or argv[0] is no executable file (by path, or on $PATH of `env`). */
export function checkCommand(argv: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const [file] = argv;
  if (file === undefined || file === '') {
    throw new InitsockError(
      'BAD_USAGE',
      'no command to run. Put it after --, e.g. `initsock job run --key K -- mempalace mine .`.',
    );
  }
  if (file.includes('/')) {
    const path = isAbsolute(file) ? file : resolve(cwd, file);
    if (executable(path)) return;
    throw new InitsockError(
      'BAD_USAGE',
      `the command ${JSON.stringify(file)} is not an executable file (${path}). ` + 'Check the path, or chmod +x it.',
      { details: { command: file } },
    );
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  if (dirs.some((d) => executable(join(isAbsolute(d) ? d : resolve(cwd, d), file)))) return;
  throw new InitsockError(
    'BAD_USAGE',
    `the command ${JSON.stringify(file)} was not found on PATH (${env.PATH ?? 'unset'}). ` +
      'Install it, or pass its absolute path.',
    { details: { command: file } },
  );
}
