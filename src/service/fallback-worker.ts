// Recognises initsock's own fallback worker among a port's holders: a process of this user started by the hook client (handoff activation).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHandoffEnv } from '../activation/handoff.js';
import { LISTEN_FDNAMES } from '../contract/index.js';

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** The real uid of a process, from /proc/<pid>/status ("Uid:\treal\teffective..."), or null. */
function uidOf(pid: number, root: string): number | null {
  const m = /^Uid:\s+(\d+)/m.exec(read(join(root, 'proc', String(pid), 'status')) ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * The service name of `pid` when it is a fallback worker the client started for this user: its environment at exec
 * (/proc/<pid>/environ, readable only for our own processes) carries the handoff mark and LISTEN_FDNAMES=<name>.
 * Null for anything else, and where /proc does not exist (macOS).
 */
export function fallbackWorkerName(pid: number, root = '/', uid = process.getuid?.()): string | null {
  if (uid === undefined || uidOf(pid, root) !== uid) return null;
  const environ = read(join(root, 'proc', String(pid), 'environ'));
  if (environ === null) return null;
  const env = Object.fromEntries(
    environ
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  if (!isHandoffEnv(env)) return null;
  return env[LISTEN_FDNAMES] || null;
}
