// `install-service list`: every initsock service of this user (from the settings records and the init system's own files), with state, address, pid and version.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { probeHealth } from '../../src/service/health.js';
import { statusOwned } from '../../src/service/ownership.js';
import { readRecord, recordPath } from '../../src/service/record.js';
import type { InitSystem, ServiceConfig, SystemContext } from '../../src/service/types.js';
import { formatAddress } from '../../src/service/address.js';
import type { Settings } from '../config.js';
import { initFor, systemContext } from '../context.js';
import type { CliDeps } from '../deps.js';

export interface ListedService {
  name: string;
  state: string;
  address: string | null;
  pid: number | null;
  /** The version the running worker reports on /health (null when none runs). */
  running: string | null;
  /** The initsock version that installed it (from its settings record). */
  installed: string | null;
}

/** Names with a settings record, plus those the init system finds by its own files (installed before records existed). */
function serviceNames(init: InitSystem, s: Settings, ctx: SystemContext): string[] {
  const base = dirname(dirname(recordPath(s.cfg.name, ctx.env, ctx.home)));
  let recorded: string[] = [];
  try {
    recorded = readdirSync(base).filter((n) => {
      try {
        return readRecord(n, ctx.env, ctx.home) !== null;
      } catch {
        return true;
      }
    });
  } catch {
    /* none */
  }
  return [...new Set([...recorded, ...(init.installedNames?.(ctx) ?? [])])].sort();
}

async function describeOne(init: InitSystem, s: Settings, name: string, ctx: SystemContext): Promise<ListedService> {
  let record = null;
  try {
    record = readRecord(name, ctx.env, ctx.home);
  } catch {
    /* shown without a version */
  }
  const addr = init.installedAddress(name, ctx);
  const label = typeof record?.options.label === 'string' ? record.options.label : `com.initsock.${name}`;
  const cfg: ServiceConfig = { ...s.cfg, name, label, host: addr?.host ?? s.cfg.host, port: addr?.port ?? s.cfg.port };
  const st = await statusOwned(init, cfg, ctx, await init.status(cfg, ctx));
  let running: string | null = null;
  if (st.state === 'running') {
    try {
      running = String((await probeHealth(cfg.host, cfg.port, 3000)).version ?? 'unknown');
    } catch {
      running = 'no answer';
    }
  }
  return {
    name,
    state: st.state,
    address: addr ? formatAddress(addr) : null,
    pid: st.pid,
    running,
    installed: record?.version ?? null,
  };
}

function table(rows: ListedService[]): string {
  const head = ['NAME', 'STATE', 'ADDRESS', 'PID', 'VERSION'];
  const cells = rows.map((r) => [
    r.name,
    r.state,
    r.address ?? '-',
    r.pid === null ? '-' : String(r.pid),
    r.running && r.installed && r.running !== r.installed
      ? `${r.running} (installed ${r.installed})`
      : (r.running ?? r.installed ?? '-'),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  return [head, ...cells]
    .map((c) =>
      c
        .map((x, i) => x.padEnd(widths[i] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function listCommand(s: Settings, deps: CliDeps): Promise<number> {
  const init = initFor(s.init, deps);
  const ctx = systemContext(deps);
  await init.preflight(ctx);
  const rows: ListedService[] = [];
  for (const name of serviceNames(init, s, ctx)) rows.push(await describeOne(init, s, name, ctx));
  if (s.json) deps.out(`${JSON.stringify(rows, null, 2)}\n`);
  else deps.out(rows.length ? `${table(rows)}\n` : `no initsock services installed for this user (${init.kind}).\n`);
  return 0;
}
