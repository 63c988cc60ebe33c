// The per-service bearer token as plan steps: create it (0600 in a 0700 folder) when missing or unusable, remove it on uninstall.
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { removeFile } from '../src/exec/atomic-write.js';
import { ensureToken, readToken } from '../src/security/token.js';
import type { Step } from '../src/service/types.js';

/** True when `path` already holds a token the worker will accept (so install has nothing to do). */
function usable(path: string): boolean {
  try {
    readToken(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The step that makes sure the token exists, or none when a good one is there. Its undo removes a token it created
 * (and the folders it made); a token it replaced (malformed, or readable by others) stays replaced.
 */
export function tokenSteps(path: string | undefined): Step[] {
  if (path === undefined || usable(path)) return [];
  let created: { file: boolean; dirs: string[] } = { file: false, dirs: [] };
  return [
    {
      kind: 'action',
      description: `create the bearer token ${path} (mode 0600, in a 0700 folder) if it is missing or unusable`,
      note: 'the worker requires it on every route but /health; clients read it from there',
      run: async () => {
        const res = ensureToken(path);
        created = { file: res.status === 'created', dirs: res.createdDirs };
      },
      undo: [
        {
          kind: 'action',
          description: `remove the token ${path} if this run created it`,
          run: async () => {
            if (created.file) removeFile(path);
            for (const d of [...created.dirs].reverse()) rmdirSync(d);
          },
        },
      ],
    },
  ];
}

/** Uninstall: remove the token file, then its folder once empty (a rollback puts both back). */
export function removeTokenSteps(path: string): Step[] {
  const dir = dirname(path);
  if (!existsSync(dir)) return [];
  return [
    ...(existsSync(path) ? [{ kind: 'remove', path } as Step] : []),
    {
      kind: 'action',
      description: `remove the folder ${dir} if it is empty`,
      run: async () => {
        if (readdirSync(dir).length === 0) rmdirSync(dir);
      },
      undo: [{ kind: 'mkdir', path: dir, mode: 0o700 }], // so the token's own undo can put the file back
    },
  ];
}
