// Cgroup folders of the box's own on the host, so each box's cgroup namespace (and systemd's tree) is separate.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'initsock-box-';

/**
 * unified: the box sees one cgroup2 tree (like a modern desktop). hybrid: cgroup2 plus the v1 pids and
 * name=systemd hierarchies, for hosts whose pids controller is bound to cgroup v1 (TasksMax= needs it).
 */
export type CgroupMode = 'unified' | 'hybrid';

/** The box's cgroup folders on the host: the cgroup2 one first, then (hybrid) the v1 pids and name=systemd ones. */
export interface BoxCgroups {
  mode: CgroupMode;
  dirs: string[];
}

interface Hierarchy {
  mount: string;
  key: string;
}

/** The host's cgroup mounts: cgroup2 (key "0::"), and v1 pids / name=systemd (keys from /proc/self/cgroup). */
function hierarchies(): { v2?: Hierarchy; pids?: Hierarchy; named?: Hierarchy } {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '));
  const v1 = (option: string): Hierarchy | undefined => {
    const m = mounts.find((f) => f[2] === 'cgroup' && (f[3] ?? '').split(',').includes(option));
    return m ? { mount: m[1] as string, key: option } : undefined;
  };
  const v2 = mounts.find((f) => f[2] === 'cgroup2');
  return { v2: v2 ? { mount: v2[1] as string, key: '' } : undefined, pids: v1('pids'), named: v1('name=systemd') };
}

export function cgroup2Mount(): string | null {
  return hierarchies().v2?.mount ?? null;
}

/** The cgroup mode that gives the box a pids controller (TasksMax=), or null when this host has none. */
export function pidsCgroupMode(): CgroupMode | null {
  const { v2, pids, named } = hierarchies();
  // A box cgroup made under ours gets exactly the controllers our cgroup hands down (its subtree_control).
  const handedDown = v2 ? readFileSync(join(ownPath(v2), 'cgroup.subtree_control'), 'utf8').split(/\s+/) : [];
  if (handedDown.includes('pids')) return 'unified';
  return v2 && pids && named ? 'hybrid' : null;
}

/** This process's own folder in a hierarchy (its line in /proc/self/cgroup). */
function ownPath(h: Hierarchy): string {
  const lines = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .map((l) => l.split(':'));
  const line = lines.find((f) =>
    h.key === '' ? f[0] === '0' && f[1] === '' : (f[1] ?? '').split(',').includes(h.key),
  );
  return join(h.mount, line?.slice(2).join(':') ?? '/');
}

/** Creates fresh, empty cgroups for one box. Throws when the hierarchies the mode needs are missing. */
export function createBoxCgroups(mode: CgroupMode): BoxCgroups {
  const { v2, pids, named } = hierarchies();
  if (!v2) throw new Error('no cgroup2 hierarchy is mounted on this host');
  if (mode === 'hybrid' && !(pids && named))
    throw new Error('hybrid mode needs the v1 pids and name=systemd hierarchies');
  const parents = [v2, ...(mode === 'hybrid' ? [pids!, named!] : [])].map(ownPath);
  const name = `${PREFIX}${process.pid}-${Date.now().toString(36)}`;
  for (const parent of parents) sweepStale(parent);
  const dirs = parents.map((parent) => join(parent, name));
  for (const dir of dirs) mkdirSync(dir);
  return { mode, dirs };
}

/** True when no process is left anywhere under `dir` (cgroup2: cgroup.events; v1: every cgroup.procs). */
function treeEmpty(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (existsSync(join(dir, 'cgroup.events')))
    return /^populated 0$/m.test(readFileSync(join(dir, 'cgroup.events'), 'utf8'));
  if (readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim() !== '') return false;
  return readdirSync(dir).every((e) => !statSync(join(dir, e)).isDirectory() || treeEmpty(join(dir, e)));
}

export function cgroupsEmpty(cgroups: BoxCgroups): boolean {
  return cgroups.dirs.every(treeEmpty);
}

/** Removes `dir` and every cgroup under it, deepest first. Returns false when some could not be removed yet. */
function removeTree(dir: string): boolean {
  if (!existsSync(dir)) return true;
  let ok = true;
  for (const entry of readdirSync(dir)) {
    const child = join(dir, entry);
    if (statSync(child).isDirectory()) ok = removeTree(child) && ok;
  }
  try {
    rmdirSync(dir);
  } catch {
    ok = false;
  }
  return ok;
}

export function removeBoxCgroups(cgroups: BoxCgroups): boolean {
  return cgroups.dirs.map(removeTree).every(Boolean);
}

/** Removes box cgroups left behind by test processes that died, once nothing runs in them. */
function sweepStale(parent: string): void {
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith(PREFIX)) continue;
    const owner = Number(entry.slice(PREFIX.length).split('-')[0]);
    if (owner !== process.pid && !existsSync(`/proc/${owner}`) && treeEmpty(join(parent, entry))) {
      removeTree(join(parent, entry));
    }
  }
}
