// Which of a service's units are initsock's own: the mark its templates write, plus units the init system loads from elsewhere.
import { lstatSync, readFileSync } from 'node:fs';
import { InitsockError } from '../errors.js';
import { readRecord, recordOwns, type ServiceRecord } from './record.js';
import type { InitSystem, ServiceConfig, ServiceStatus, SystemContext } from './types.js';

/**
 * The first line of every file install-service renders (units/*.in, plists/agent.plist.in). A file without one of
 * them was written by someone else; a test checks every template starts with its mark.
 */
export const OWN_MARKS = ['# Written by initsock install-service', '<!-- initsock LaunchAgent'] as const;

/** A unit the service's name would touch that initsock did not write: where it is and how we know. */
export interface ForeignUnit {
  path: string;
  why: string;
}

/** True when `content` opens with initsock's mark (a plist's comes right after the XML declaration and DOCTYPE). */
export function hasOwnMark(content: string): boolean {
  const first = content.split('\n').find((line) => !/^<\?xml |^<!DOCTYPE /.test(line)) ?? '';
  return OWN_MARKS.some((mark) => first.startsWith(mark));
}

/**
 * The files among `paths` that exist but are not initsock's: no mark, a symbolic link, or not a regular file. A file
 * `recorded` says install wrote stays ours even with its mark edited away (the edited-by-hand check speaks for it).
 */
export function foreignFiles(paths: string[], recorded: (path: string) => boolean = () => false): ForeignUnit[] {
  const out: ForeignUnit[] = [];
  for (const path of paths) {
    if (recorded(path)) continue;
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) out.push({ path, why: 'it is a symbolic link, not a file install-service wrote' });
    else if (!st.isFile()) out.push({ path, why: 'it is not a regular file' });
    else if (!hasOwnMark(readFileSync(path, 'utf8')))
      out.push({ path, why: `it does not start with "${OWN_MARKS[0]}"` });
  }
  return out;
}

/** Every unit the service's name would touch that is not initsock's: its own files (mark or record), then what the manager knows. */
export async function foreignUnits(init: InitSystem, cfg: ServiceConfig, ctx: SystemContext): Promise<ForeignUnit[]> {
  let record: ServiceRecord | null = null;
  try {
    record = readRecord(cfg.name, ctx.env, ctx.home);
  } catch {
    /* an unreadable record proves nothing: the marks decide */
  }
  const files = foreignFiles(init.locations(cfg, ctx).files, (path) => recordOwns(record, path));
  const elsewhere = init.knownElsewhere ? await init.knownElsewhere(cfg, ctx) : [];
  return [...files, ...elsewhere.filter((e) => !files.some((f) => f.path === e.path))];
}

const listed = (units: ForeignUnit[]): string => units.map((u) => `${u.path} (${u.why})`).join('; ');

/** The refusal (exit 2, nothing changed) for a command that would write, remove, repair or restart `units`. */
export function notOurs(name: string, verb: string, units: ForeignUnit[]): InitsockError {
  return new InitsockError(
    'NOT_INITSOCK_UNIT',
    `refusing to ${verb} ${name}: it is not an initsock service: ${listed(units)}. ` +
      'install-service never overwrites, removes, repairs or restarts a unit it did not write. Pick another --name, ' +
      'or move that file away if it is yours and no longer needed, then run again. Nothing was changed.',
    { details: { name, units: units.map((u) => u.path) } },
  );
}

/** Throws NOT_INITSOCK_UNIT unless every unit of `cfg.name` is initsock's own or absent. */
export async function assertOurs(
  init: InitSystem,
  cfg: ServiceConfig,
  ctx: SystemContext,
  verb: string,
): Promise<void> {
  const foreign = await foreignUnits(init, cfg, ctx);
  if (foreign.length > 0) throw notOurs(cfg.name, verb, foreign);
}

/** `st` as status reports it: a name whose units are not initsock's is "foreign", whatever state they are in. */
export async function statusOwned(
  init: InitSystem,
  cfg: ServiceConfig,
  ctx: SystemContext,
  st: ServiceStatus,
): Promise<ServiceStatus> {
  const foreign = await foreignUnits(init, cfg, ctx);
  if (foreign.length === 0) return st;
  return {
    ...st,
    state: 'foreign',
    pid: null,
    reason: `not an initsock service: ${listed(foreign)}`,
    fix: 'install-service leaves it alone; pick another --name for an initsock service',
  };
}
