// Finds which processes hold a listening TCP port: /proc/net/tcp{,6} socket inode → /proc/<pid>/fd links.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { formatAddressBytes, procAddressBytes } from '../util/proc-net.js';

/** A process that holds a listening socket on the port. */
export interface PortOwner {
  pid: number;
  /** The command line, NUL separators turned into spaces ("" when unreadable). */
  command: string;
  /** The process name from /proc/<pid>/comm (e.g. "systemd", "node"). */
  comm: string;
}

const TCP_LISTEN = '0A';

/** A /proc/net/tcp{,6} address as text (see util/proc-net.ts); ::ffff:a.b.c.d comes back as IPv4, garbage as "". */
export function decodeAddress(hex: string, order: 'LE' | 'BE' = endianness()): string {
  const bytes = procAddressBytes(hex, order);
  return bytes ? formatAddressBytes(bytes) : '';
}

/** Canonical spelling of an address we listen on (IPv6 compressed, lowercase). */
const canonical = (host: string): string =>
  isIPv4(host) || !host.includes(':') ? host : new URL(`http://[${host}]`).hostname.slice(1, -1);
const WILDCARDS = new Set(['0.0.0.0', '::']);

/** Whether a listener on `theirs` keeps us from binding `ours` (same address, or a wildcard on either side). */
export function addressesClash(ours: string, theirs: string): boolean {
  return canonical(ours) === theirs || WILDCARDS.has(theirs) || WILDCARDS.has(canonical(ours));
}

/**
 * Socket inodes of listening sockets on `port` from a /proc/net/tcp-style table: on any address, or only on those that
 * clash with `host` when given.
 */
export function listeningInodes(table: string, port: number, host?: string): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // cols: sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode ...
    const [addr, p] = (cols[1] ?? '').split(':');
    if (cols.length < 10 || cols[3] !== TCP_LISTEN || p !== hexPort || cols[9] === '0') continue;
    if (host === undefined || addressesClash(host, decodeAddress(addr ?? ''))) inodes.push(cols[9] as string);
  }
  return inodes;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** Inodes of the listeners on `port` (clashing with `host`, when given) in this network namespace. */
function inodesOn(port: number, root: string, host?: string): string[] {
  return ['tcp', 'tcp6'].flatMap((t) => listeningInodes(readOr(join(root, 'proc/net', t), ''), port, host));
}

/** True when a listening TCP socket on `port` (that clashes with `host`, when given) exists in this network namespace. */
export function portInUse(port: number, root = '/', host?: string): boolean {
  return inodesOn(port, root, host).length > 0;
}

/** The pids whose open fds include one of `inodes`; processes we cannot inspect (other users) are skipped. */
function pidsHolding(inodes: Set<string>, root: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync(join(root, 'proc'))) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(join(root, 'proc', entry, 'fd'));
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(join(root, 'proc', entry, 'fd', fd)))?.[1] ?? '');
      } catch {
        return false;
      }
    });
    if (holds) pids.push(Number(entry));
  }
  return pids;
}

/**
 * The processes holding a listening socket on `port` (clashing with `host`, when given), lowest pid first (the socket's creator usually comes first:
 * for a socket unit, the systemd manager, then the worker it passed the fd to). Empty when the port is free,
 * or when the holder belongs to another user and /proc hides its fds (the port then still shows as in use).
 */
export function findPortOwners(port: number, root = '/', host?: string): PortOwner[] {
  const inodes = new Set(inodesOn(port, root, host));
  if (inodes.size === 0) return [];
  return pidsHolding(inodes, root)
    .sort((a, b) => a - b)
    .map((pid) => ({
      pid,
      command: readOr(join(root, 'proc', String(pid), 'cmdline'), '')
        .split('\0')
        .filter(Boolean)
        .join(' '),
      comm: readOr(join(root, 'proc', String(pid), 'comm'), '').trim(),
    }));
}

/** "pid 123 (node /srv/daemon.js)" for messages. */
export function describeOwner(owner: PortOwner): string {
  return `pid ${owner.pid} (${owner.command || owner.comm || 'unknown command'})`;
}
