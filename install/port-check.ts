// Before install: is the port free, ours, or held by another process? Refuse, or with --takeover plan to stop the holder.
import { InitsockError } from '../src/errors.js';
import { describeOwner, type PortOwner } from '../src/service/port-owner.js';
import { fallbackWorkerName } from '../src/service/fallback-worker.js';
import { portHolders } from '../src/service/port-holders.js';
import type {
  InitSystem,
  ServiceConfig,
  ServiceStatus,
  Step,
  StepContext,
  SystemContext,
} from '../src/service/types.js';

/** Polls until nothing clashing listens on host:port or `ms` elapsed; true when free. */
export async function waitPortFree(host: string, port: number, ms: number, ctx: StepContext): Promise<boolean> {
  for (let waited = 0; ; waited += 100) {
    if (!(await portHolders(port, host, ctx)).inUse) return true;
    if (waited >= ms) return false;
    await ctx.sleep(100);
  }
}

function signal(owners: PortOwner[], sig: NodeJS.Signals): void {
  for (const o of owners) {
    try {
      process.kill(o.pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/** The --takeover step: SIGTERM the holders, SIGKILL after `graceMs`, then require the port to be free. */
export function takeoverStep(
  host: string,
  port: number,
  owners: PortOwner[],
  graceMs: number,
  why = '--takeover',
): Step {
  const who = owners.map(describeOwner).join(', ');
  return {
    kind: 'action',
    description: `stop ${who} holding port ${port}: kill -TERM ${owners.map((o) => o.pid).join(' ')}, then kill -KILL after ${graceMs / 1000}s`,
    note: `${why}; a stopped process cannot be restarted by a rollback`,
    run: async (ctx) => {
      signal(owners, 'SIGTERM');
      if (await waitPortFree(host, port, graceMs, ctx)) return;
      ctx.log(`port ${port} still held after ${graceMs / 1000}s; sending SIGKILL`);
      signal(owners, 'SIGKILL');
      if (await waitPortFree(host, port, 2000, ctx)) return;
      throw new InitsockError(
        'PORT_IN_USE',
        `port ${port} is still in use after SIGKILL to ${who}. Find the holder with \`ss -ltnp 'sport = :${port}'\` (macOS: \`lsof -nP -iTCP:${port} -sTCP:LISTEN\`) and stop it, then run again.`,
      );
    },
  };
}

/** True when our own socket already listens on the port (a re-install, not a conflict). */
const ours = (cfg: ServiceConfig, status: ServiceStatus): boolean =>
  status.state !== 'not-installed' && status.port === cfg.port;

/** "initsock's own fallback worker for NAME, pid 123 (...)" for a worker the hook client started, else describeOwner. */
function describeHolder(owner: PortOwner, root: string): string {
  const name = fallbackWorkerName(owner.pid, root);
  return name === null ? describeOwner(owner) : `initsock's own fallback worker for "${name}", ${describeOwner(owner)}`;
}

/** Throws PORT_TAKEN (nothing changed yet: exit 2) for a holder we may not take over, or without --takeover. */
function refuse(
  cfg: ServiceConfig,
  owners: PortOwner[],
  takeover: boolean,
  init: InitSystem,
  ctx: SystemContext,
): void {
  const at = `${cfg.host}:${cfg.port}`;
  if (owners.length === 0) {
    throw new InitsockError(
      'PORT_TAKEN',
      `port ${at} is in use by a process this user cannot see (another user's). Pick another --port, or ask its owner to stop it.`,
      { details: { port: cfg.port } },
    );
  }
  const manager = owners.find((o) => init.isManager(o));
  if (manager) {
    const claim = init.claimsPort(cfg.port, ctx);
    throw new InitsockError(
      'PORT_TAKEN',
      `port ${at} belongs to another service of ${describeOwner(manager)}` +
        `${claim ? `, declared in ${claim.path}` : ''}. ${claim ? 'Stop that service' : `${init.words.findPortHolder}, stop that service`}, ` +
        'or pick another --port.',
      { details: { port: cfg.port, owners, ...(claim ? { claimedBy: claim.path } : {}) } },
    );
  }
  if (!takeover) {
    throw new InitsockError(
      'PORT_TAKEN',
      `port ${at} is already in use by ${owners.map((o) => describeHolder(o, ctx.root ?? '/')).join(', ')}. ` +
        'Stop it, pick another --port, or pass --takeover to stop it (SIGTERM, then SIGKILL) and install in its place.',
      { details: { port: cfg.port, owners } },
    );
  }
}

/**
 * Returns [] when the port is free or ours, [takeover step] with --takeover, and throws PORT_TAKEN naming the holder
 * otherwise. Never takes over from the init system's manager, whose socket belongs to another service.
 */
export async function portSteps(
  cfg: ServiceConfig,
  status: ServiceStatus,
  ctx: SystemContext,
  opts: { takeover: boolean; graceMs: number; init: InitSystem },
): Promise<Step[]> {
  if (ours(cfg, status)) return [];
  const held = await portHolders(cfg.port, cfg.host, ctx);
  if (!held.inUse) return [];
  const root = ctx.root ?? '/';
  // initsock's own fallback workers are taken over without --takeover: they are ours, and idle out anyway.
  if (held.owners.length > 0 && held.owners.every((o) => fallbackWorkerName(o.pid, root) !== null)) {
    return [
      takeoverStep(
        cfg.host,
        cfg.port,
        held.owners,
        opts.graceMs,
        `initsock's own fallback worker (${held.owners.map((o) => describeHolder(o, root)).join(', ')}), which the service replaces`,
      ),
    ];
  }
  refuse(cfg, held.owners, opts.takeover, opts.init, ctx);
  return [takeoverStep(cfg.host, cfg.port, held.owners, opts.graceMs)];
}
