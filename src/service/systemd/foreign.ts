// What the systemd user manager knows about a name beyond initsock's files: units loaded from another folder, and what
// uninstall leaves behind on purpose (the user's drop-ins, the journal).
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { ForeignUnit } from '../ownership.js';
import type { SystemContext } from '../types.js';
import { showUnits, systemctl, type UnitProps } from './show.js';

/** The real path of `p`, or `p` itself when it does not exist (the manager may see the folder through a symlink). */
const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** A unit the manager loads from somewhere other than `ours` (another unit folder, a transient or masked unit). */
function loadedElsewhere(u: UnitProps, ours: string[]): ForeignUnit | null {
  const frag = u.FragmentPath;
  // Absent from the answer (an old or fake systemctl) or unknown to the manager: nothing to judge.
  if (frag === undefined || u.LoadState === undefined || u.LoadState === 'not-found') return null;
  if (frag !== '' && ours.some((p) => p === frag || real(p) === real(frag))) return null;
  const where = frag === '' ? `${u.Id} (no unit file)` : frag;
  const why =
    u.LoadState === 'masked'
      ? `the user manager has ${u.Id} masked`
      : `the user manager already loads ${u.Id} from there (see \`${systemctl('cat', u.Id ?? '').join(' ')}\`)`;
  return { path: where, why };
}

/** The units of `name` that `systemctl --user show -p FragmentPath,LoadState` places outside `ours`. */
export async function systemdKnownElsewhere(name: string, ours: string[], ctx: SystemContext): Promise<ForeignUnit[]> {
  const units = await showUnits(name, ctx);
  return [units.socket, units.service].flatMap((u) => loadedElsewhere(u, ours) ?? []);
}

/** What uninstall does not remove: drop-in folders (a later install picks them up again) and the worker's journal. */
export function systemdLeftBehind(name: string, unitDir: string): string[] {
  const dropIns = [`${name}.socket.d`, `${name}.service.d`]
    .map((d) => join(unitDir, d))
    .filter((d) => existsSync(d))
    .map(
      (d) =>
        `${d}/ (your drop-ins; a later install with this name picks them up again; remove the folder to drop them)`,
    );
  return [...dropIns, `the worker's log in the journal (journalctl --user -u ${name}.service; journald expires it)`];
}
