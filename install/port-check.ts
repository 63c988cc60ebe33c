// Before install: is the port free, ours, or held by another process? Refuse, or with --takeover plan to stop the holder.
import { InitsockError } from '../src/errors.js';
import { describeOwner, findPortOwners, portInUse, type PortOwner } from '../src/service/port-owner.js';
import type { ServiceConfig, ServiceStatus, Step, StepContext } from '../src/service/types.js';

/** Polls until the port is free or `ms` elapsed; true when free. */
async function waitPortFree(port: number, host: string, root: string, ms: number, ctx: StepContext): Promise<boolean> {
  for (let waited = 0; ; waited += 100) {
    if (!portInUse(port, root, host)) return true;
    if (waited >= ms) return false;
    await ctx.sleep(100);
  }
}

function signal(owners: PortOwner[], sig: NodeJS.Signals): void {
  for (const o of owners) {
    try { process.kill(o.pid, sig); } catch { /* already gone */ }
  }
}

/** The --takeover step: SIGTERM the holders, SIGKILL after `graceMs`, then require the port to be free. */
export function takeoverStep(host: string, port: number, owners: PortOwner[], root: string, graceMs: number): Step {
  const who = owners.map(describeOwner).join(', ');
  return {
    kind: 'action',
    description: `stop ${who} holding port ${port}: kill -TERM ${owners.map((o) => o.pid).join(' ')}, then kill -KILL after ${graceMs / 1000}s`,
    note: '--takeover; a stopped process cannot be restarted by a rollback',
    run: async (ctx) => {
      signal(owners, 'SIGTERM');
      if (await waitPortFree(port, host, root, graceMs, ctx)) return;
      ctx.log(`port ${port} still held after ${graceMs / 1000}s; sending SIGKILL`);
      signal(owners, 'SIGKILL');
      if (await waitPortFree(port, host, root, 2000, ctx)) return;
      throw new InitsockError('PORT_IN_USE', `port ${port} is still in use after SIGKILL to ${who}. Find the holder with \`ss -ltnp 'sport = :${port}'\` and stop it, then run again.`);
    },
  };
}

/** True when our own socket unit already listens on the port (a re-install, not a conflict). */
const ours = (cfg: ServiceConfig, status: ServiceStatus): boolean => status.state !== 'not-installed' && status.port === cfg.port;

/**
 * Returns [] when the port is free or ours, [takeover step] with --takeover, and throws PORT_IN_USE naming the holder
 * otherwise. Never takes over from a service manager (systemd), whose socket belongs to another unit.
 */
export function portSteps(cfg: ServiceConfig, status: ServiceStatus, opts: { takeover: boolean; root: string; graceMs: number }): Step[] {
  if (ours(cfg, status) || !portInUse(cfg.port, opts.root, cfg.host)) return [];
  const owners = findPortOwners(cfg.port, opts.root, cfg.host);
  const at = `${cfg.host}:${cfg.port}`;
  if (owners.length === 0) {
    throw new InitsockError('PORT_IN_USE', `port ${at} is in use by a process this user cannot see (another user's). Pick another --port, or ask its owner to stop it.`, { details: { port: cfg.port } });
  }
  const manager = owners.find((o) => o.pid === 1 || o.comm === 'systemd');
  if (manager) {
    throw new InitsockError('PORT_IN_USE', `port ${at} belongs to another socket unit of ${describeOwner(manager)}. ` +
      `Find it with \`systemctl --user list-sockets\` (or \`systemctl list-sockets\`), stop that unit, or pick another --port.`, { details: { port: cfg.port, owners } });
  }
  if (opts.takeover) return [takeoverStep(cfg.host, cfg.port, owners, opts.root, opts.graceMs)];
  throw new InitsockError('PORT_IN_USE', `port ${at} is already in use by ${owners.map(describeOwner).join(', ')}. ` +
    `Stop it, pick another --port, or pass --takeover to stop it (SIGTERM, then SIGKILL) and install in its place.`, { details: { port: cfg.port, owners } });
}
