// Per-service client paths (log file, token file, unit and plist folders), resolved from an injected environment.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The user's home: $HOME when set (as os.homedir does), so tests can point it at a fake home. */
export function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || homedir();
}

/** An XDG base directory variable, ignored when unset or relative (as the XDG spec says). */
function xdg(value: string | undefined, fallback: string): string {
  return value && isAbsolute(value) ? value : fallback;
}

/** $XDG_CONFIG_HOME, or ~/.config. */
export function configHome(env: NodeJS.ProcessEnv): string {
  return xdg(env.XDG_CONFIG_HOME, join(homeOf(env), '.config'));
}

/** $XDG_STATE_HOME, or ~/.local/state. */
export function stateHome(env: NodeJS.ProcessEnv): string {
  return xdg(env.XDG_STATE_HOME, join(homeOf(env), '.local', 'state'));
}

/** Where a fallback-started worker's stdout, stderr and log go: $XDG_STATE_HOME/initsock/<name>/worker.log. */
export function workerLogFile(name: string, env: NodeJS.ProcessEnv): string {
  return join(stateHome(env), 'initsock', name, 'worker.log');
}
