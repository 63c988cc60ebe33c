// Who holds a TCP port, on any OS: /proc where it exists (Linux), else `lsof` (macOS), through the injected runner.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandRunner } from '../exec/runner.js';
import { addressesClash, findPortOwners, portInUse, type PortOwner } from './port-owner.js';

export interface PortHolders {
  /** A listener clashes with ours (it may be invisible to us: another user's, on Linux). */
  inUse: boolean;
  owners: PortOwner[];
}

/** "127.0.0.1:37777", "[::1]:37777", "*:37777" (lsof's NAME column) → the address, with * as the wildcard. */
function lsofAddress(name: string): string {
  const addr = name.slice(0, name.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  return addr === '*' ? '0.0.0.0' : addr;
}

/** Parses `lsof -F pcn` output: p<pid>, c<command>, then n<address:port> per open file. */
export function parseLsof(output: string, host: string): PortOwner[] {
  const owners = new Map<number, PortOwner>();
  let pid = 0;
  let command = '';
  for (const line of output.split('\n')) {
    const [tag, value] = [line[0], line.slice(1)];
    if (tag === 'p') pid = Number(value);
    else if (tag === 'c') command = value;
    else if (tag === 'n' && pid > 0 && addressesClash(host, lsofAddress(value)))
      owners.set(pid, { pid, command, comm: command });
  }
  return [...owners.values()].sort((a, b) => a.pid - b.pid);
}

/**
 * The listeners on `port` that clash with `host`. Uses /proc when `root`/proc/net/tcp exists; otherwise runs
 * `lsof -nP -iTCP:PORT -sTCP:LISTEN -F pcn` (exit 1 = none). Without either, it cannot tell and reports the port free:
 * the init system's own bind then fails loudly instead.
 */
export async function portHolders(
  port: number,
  host: string,
  ctx: { root?: string; run: CommandRunner },
): Promise<PortHolders> {
  const root = ctx.root ?? '/';
  if (existsSync(join(root, 'proc/net/tcp'))) {
    return { inUse: portInUse(port, root, host), owners: findPortOwners(port, root, host) };
  }
  const res = await ctx.run(['lsof', '-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-F', 'pcn'], { timeoutMs: 10_000 });
  const owners = res.code === 0 ? parseLsof(res.stdout, host) : [];
  return { inUse: owners.length > 0, owners };
}
