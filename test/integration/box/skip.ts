// Says why a box cannot boot on this machine (not root, a tool missing, unshare refused), or null when it can.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cgroup2Mount } from './cgroup.js';

const TOOLS = ['unshare', 'nsenter', 'setpriv', 'mount', 'ip', 'systemctl', 'systemd-run'];
let cached: string | null | undefined;

function missingTool(): string | undefined {
  return TOOLS.find((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
}

function probe(): string | null {
  if (process.platform !== 'linux') return 'the systemd box needs Linux';
  if (process.getuid?.() !== 0) return 'the systemd box needs root (unshare, mount, cgroups)';
  if (!existsSync('/usr/lib/systemd/systemd')) return 'systemd is not installed (/usr/lib/systemd/systemd)';
  const tool = missingTool();
  if (tool) return `the systemd box needs \`${tool}\`, which is not on PATH`;
  if (!cgroup2Mount()) return 'the systemd box needs a cgroup2 hierarchy, and none is mounted';
  const unshare = spawnSync('unshare', ['--pid', '--fork', '--mount', '--net', '--cgroup', '--mount-proc', 'true']);
  if (unshare.status !== 0) {
    return `unshare cannot create namespaces here: ${String(unshare.stderr).trim() || `exit ${unshare.status}`}`;
  }
  return null;
}

/** Why the box cannot run here, or null. Probed once per process. */
export function boxUnavailable(): string | null {
  if (cached === undefined) cached = probe();
  return cached;
}
