// Finds the service's bearer token, if one is configured, so the client sends it without being told.
import { lstatSync } from 'node:fs';
import { ensureToken, readToken, tokenPath } from '../security/token.js';
import { homeOf } from './paths.js';

/**
 * Returns the token from $XDG_CONFIG_HOME/initsock/<name>/token and its path, or null when there is no
 * such file (the worker then needs none). A file that exists but is unsafe or malformed throws
 * (UNSAFE_PATH / BAD_TOKEN_FILE from the security module): sending no token would only turn into a
 * 401 that hides the real cause.
 */
export function readServiceToken(name: string, env: NodeJS.ProcessEnv): { token: string; path: string } | null {
  const path = tokenPath(name, env, homeOf(env));
  try {
    lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
  }
  return { token: readToken(path), path };
}

export function hasAuthorization(headers: Record<string, string>): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
}

/**
 * For a worker this client starts itself: the service's token, created when missing with the same path and checks as
 * install-service (0600 in a 0700 folder), set as this call's bearer token unless the caller set Authorization or
 * `send` is false. Returns the file's path for the worker. Throws UNSAFE_PATH when the file or a folder above it is unsafe.
 */
export function tokenForNewWorker(
  name: string,
  env: NodeJS.ProcessEnv,
  headers: Record<string, string>,
  send: boolean,
): string {
  const path = tokenPath(name, env, homeOf(env));
  const { token } = ensureToken(path);
  if (send && !hasAuthorization(headers)) headers.authorization = `Bearer ${token}`;
  return path;
}
