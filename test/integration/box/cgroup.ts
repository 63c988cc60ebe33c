// A cgroup2 folder of the box's own on the host, so each box's cgroup namespace (and systemd's tree) is separate.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'initsock-box-';

/** The host's cgroup2 mount point: /sys/fs/cgroup on a unified host, /sys/fs/cgroup/unified on a hybrid one. */
export function cgroup2Mount(): string | null {
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n');
  const line = mounts.map((l) => l.split(' ')).find((f) => f[2] === 'cgroup2');
  return line?.[1] ?? null;
}

/** The folder under which box cgroups are made: this process's own cgroup2 path. */
function parentCgroup(mount: string): string {
  const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'));
  return join(mount, own ? own.slice(3) : '/');
}

/** Creates a fresh, empty cgroup for one box. Throws when cgroup2 is missing or not writable. */
export function createBoxCgroup(): string {
  const mount = cgroup2Mount();
  if (!mount) throw new Error('no cgroup2 hierarchy is mounted on this host');
  const parent = parentCgroup(mount);
  sweepStaleCgroups(parent);
  const dir = join(parent, `${PREFIX}${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir);
  return dir;
}

/** True when no process is left anywhere under `dir`. */
export function cgroupEmpty(dir: string): boolean {
  if (!existsSync(dir)) return true;
  const events = readFileSync(join(dir, 'cgroup.events'), 'utf8');
  return /^populated 0$/m.test(events);
}

/** Removes `dir` and every cgroup under it, deepest first. Returns false when some could not be removed yet. */
export function removeCgroupTree(dir: string): boolean {
  if (!existsSync(dir)) return true;
  let ok = true;
  for (const entry of readdirSync(dir)) {
    const child = join(dir, entry);
    if (statSync(child).isDirectory()) ok = removeCgroupTree(child) && ok;
  }
  try {
    rmdirSync(dir);
  } catch {
    ok = false;
  }
  return ok;
}

/** Removes box cgroups left behind by test processes that died, once nothing runs in them. */
function sweepStaleCgroups(parent: string): void {
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith(PREFIX)) continue;
    const owner = Number(entry.slice(PREFIX.length).split('-')[0]);
    if (owner !== process.pid && !existsSync(`/proc/${owner}`) && cgroupEmpty(join(parent, entry))) {
      removeCgroupTree(join(parent, entry));
    }
  }
}
