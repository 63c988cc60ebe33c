// The per-service bearer token: where it lives, creating it (0600 in a 0700 folder) and reading it back safely.
import { isServiceName, SERVICE_NAME_RULE } from '../contract/index.js';
import { chmodSync, closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { InitsockError } from '../errors.js';
import { crypto } from '../util/builtin.js';
import { atomicWrite, ensureDir } from '../exec/atomic-write.js';
import { assertSafeToRead, assertSafeToWrite, type Owner } from './safe-path.js';

/** RFC 6750 b64token, at least 32 characters: what we generate (43 base64url chars) and what a user may supply. */
const TOKEN_SYNTAX = /^[A-Za-z0-9\-._~+/]{32,1024}=*$/;
const MAX_FILE = 4096;

/** $XDG_CONFIG_HOME/initsock/<name>/token, or ~/.config/... when XDG_CONFIG_HOME is unset or relative (XDG spec). */
export function tokenPath(name: string, env: NodeJS.ProcessEnv, home: string): string {
  if (!isServiceName(name)) {
    throw new InitsockError(
      'INVALID_VALUE',
      `service name ${JSON.stringify(name).slice(0, 80)} cannot name a token folder. Use ${SERVICE_NAME_RULE}.`,
    );
  }
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.config');
  if (!isAbsolute(base))
    throw new InitsockError(
      'INVALID_VALUE',
      `home directory ${JSON.stringify(home)} is not absolute. Set HOME to an absolute path.`,
    );
  return join(base, 'initsock', name, 'token');
}

function badFile(path: string, why: string, next: string, cause?: unknown): InitsockError {
  return new InitsockError('BAD_TOKEN_FILE', `cannot use the token file ${path}: ${why}. ${next}`, {
    cause,
    details: { path },
  });
}

/** `problem` lets ensureToken tell a file it may replace (mode, syntax) from one it must not (another owner). */
function insecure(path: string, why: string, next: string, problem = 'mode'): InitsockError {
  return new InitsockError('UNSAFE_PATH', `refusing the token file ${path}: ${why}. ${next}`, {
    details: { path, problem },
  });
}

/** Opens without following a link, so what we check (fstat) is exactly what we read. */
function openNoFollow(path: string): number {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      throw insecure(path, 'it is a symbolic link', 'Point --token-file at the real file.', 'symlink');
    if (code === 'ENOENT')
      throw badFile(
        path,
        'it does not exist',
        'Run install-service to create it, or pass the right --token-file.',
        err,
      );
    throw badFile(path, `opening it failed (${code ?? (err as Error).message})`, 'Check that you can read it.', err);
  }
}

/** Reads at most MAX_FILE bytes from an open file after checking its owner and mode. */
function readChecked(fd: number, path: string, uid: number | undefined): string {
  const st = fstatSync(fd);
  if (!st.isFile()) throw badFile(path, 'it is not a regular file', 'Point --token-file at the token file.');
  if (uid !== undefined && st.uid !== uid) {
    throw insecure(
      path,
      `it belongs to uid ${st.uid}, not to you (uid ${uid})`,
      `Recreate it as yourself (install-service repair) or run: chown ${uid} ${path}`,
      'owner',
    );
  }
  if (uid !== undefined && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
    throw insecure(
      path,
      `other users can read or change it (mode ${mode})`,
      `Run: chmod 600 ${path} (and, since others may have read it, consider a new token: install-service repair)`,
    );
  }
  const buf = Buffer.alloc(MAX_FILE + 1);
  const n = readSync(fd, buf, 0, buf.length, 0);
  if (n > MAX_FILE)
    throw badFile(path, `it is larger than ${MAX_FILE} bytes`, 'A token file holds one token on one line.');
  return buf.subarray(0, n).toString('utf8');
}

/**
 * Reads and checks the token at `path`: not a symlink, a regular file owned by the user, mode 0600 or stricter,
 * in folders only the user or root can change, holding one token (one trailing newline allowed).
 * Throws UNSAFE_PATH for ownership and mode problems and BAD_TOKEN_FILE for missing or malformed files.
 */
export function readToken(path: string, owner: Owner = {}): string {
  const uid = owner.uid ?? process.getuid?.();
  assertSafeToRead(path, owner);
  const fd = openNoFollow(path);
  let text: string;
  try {
    text = readChecked(fd, path, uid);
  } finally {
    closeSync(fd);
  }
  const token = text.replace(/\r?\n$/, '');
  if (!TOKEN_SYNTAX.test(token)) {
    throw badFile(
      path,
      'it does not hold a token (one line of at least 32 letters, digits or -._~+/)',
      'Run install-service repair to write a new one.',
    );
  }
  return token;
}

export interface EnsureTokenResult {
  token: string;
  /** kept: a valid token was already there; created: there was none; replaced: the old one was malformed or too open. */
  status: 'kept' | 'created' | 'replaced';
  /** Why an old file was replaced. */
  reason?: string;
  /** Folders this call created, outermost first, for an installer's undo. */
  createdDirs: string[];
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates the token's folder (and missing parents) and sets 0700 on it and on what we created; returns what we created. */
function makePrivateDir(path: string): string[] {
  const dir = dirname(path);
  const created = ensureDir(dir, 0o700);
  try {
    for (const d of new Set([...created, dir])) chmodSync(d, 0o700); // explicit: the umask may have narrowed it
  } catch (err) {
    throw insecure(
      path,
      `cannot make its folder ${dir} private (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      `Run: chmod 700 ${dir}`,
    );
  }
  return created;
}

/** Random bytes in a fresh token (SECURITY.md quotes this). */
export const TOKEN_BYTES = 32;

/** A fresh token: TOKEN_BYTES random bytes, base64url (43 characters for 32). */
export function newToken(): string {
  return crypto().randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Makes sure `path` holds a token: keeps a valid one, otherwise writes a new one atomically with mode 0600 in
 * a 0700 folder (modes set explicitly, whatever the umask). Refuses symlinks and folders others control
 * (UNSAFE_PATH), and a token file owned by another user, rather than replacing it silently.
 */
export function ensureToken(path: string, owner: Owner = {}): EnsureTokenResult {
  assertSafeToWrite(path, owner);
  const createdDirs = makePrivateDir(path);
  assertSafeToWrite(path, owner); // again, now that the folders exist: nobody slipped a link in meanwhile
  let reason: string | undefined;
  if (exists(path)) {
    try {
      return { token: readToken(path, owner), status: 'kept', createdDirs };
    } catch (err) {
      if (!(err instanceof InitsockError) || err.details.problem === 'owner') throw err;
      reason = err.message;
    }
  }
  const token = newToken();
  atomicWrite(path, `${token}\n`, 0o600);
  return reason === undefined
    ? { token, status: 'created', createdDirs }
    : { token, status: 'replaced', reason, createdDirs };
}
