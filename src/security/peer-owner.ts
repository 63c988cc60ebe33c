// Who owns the other end of a loopback connection (Linux /proc/net/tcp), so the client never sends its token to a squatter.
import { decodeProcEndpoint } from '../util/proc-net.js';
import { readFileSync } from 'node:fs';
import { isIPv4, type Socket } from 'node:net';
import { InitsockError } from '../errors.js';

const PROC_NET = ['/proc/net/tcp', '/proc/net/tcp6'] as const;

function readTable(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Reads /proc/net/tcp and /proc/net/tcp6; null where they do not exist (macOS, Windows). */
export function readProcNet(): string | null {
  const text = PROC_NET.map(readTable).join('');
  return text === '' ? null : text;
}

/** "0100007F:1F90" (or 32 hex digits for IPv6) → 16 bytes (IPv4 as ::ffff:a.b.c.d) and the port. */
const decode = (field: string): { bytes: number[]; port: number } | null => decodeProcEndpoint(field);

/** A textual address → 16 bytes (IPv4 as ::ffff:a.b.c.d), for comparison with decode(). */
export function addressBytes(address: string): number[] {
  if (isIPv4(address)) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...address.split('.').map(Number)];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  const text = v4 ? address.slice(0, -v4.length) + '0:0' : address;
  const [head = '', tail] = text.split('::');
  const parts = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const groups =
    tail === undefined
      ? parts(head)
      : [...parts(head), ...Array(8 - parts(head).length - parts(tail).length).fill('0'), ...parts(tail)];
  const bytes = groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  if (v4) bytes.splice(12, 4, ...v4.split('.').map(Number));
  return bytes;
}

const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The uid that owns the far end of `socket` (a connected loopback TCP socket), found in /proc/net/tcp{,6} as the
 * row whose local end is our remote end and whose remote end is us. An accepted socket carries the uid of
 * whoever created the listener: for systemd --user that is the user. Null when unknown (no /proc, no row).
 * Without `table` it reads /proc/net/tcp first and tcp6 only when the row is not there (an IPv4 connection to a
 * dual-stack listener is listed in tcp6): a hook pays for one table, not two.
 */
export function peerUid(socket: Socket, table?: string | null): number | null {
  const { localAddress, localPort, remoteAddress, remotePort } = socket;
  if (table === null || !localAddress || !remoteAddress || !localPort || !remotePort) return null;
  const us = addressBytes(localAddress);
  const them = addressBytes(remoteAddress);
  if (table !== undefined) return findRow(table, us, localPort, them, remotePort);
  for (const file of PROC_NET) {
    const uid = findRow(readTable(file), us, localPort, them, remotePort);
    if (uid !== null) return uid;
  }
  return null;
}

/** The uid column of the row from (them, theirPort) to (us, ourPort), or null. */
function findRow(text: string, us: number[], ourPort: number, them: number[], theirPort: number): number | null {
  return findRowState(text, us, ourPort, them, theirPort)?.uid ?? null;
}

/** The uid and TCP state (the "st" column) of the row from (them, theirPort) to (us, ourPort), or null. */
function findRowState(
  text: string,
  us: number[],
  ourPort: number,
  them: number[],
  theirPort: number,
): { uid: number; state: number } | null {
  // Both ports appear in the row as 4 upper-case hex digits after a colon: a cheap filter before decoding.
  const hexPort = (p: number): string => `:${p.toString(16).toUpperCase().padStart(4, '0')} `;
  const [ours, theirs] = [hexPort(ourPort), hexPort(theirPort)];
  for (const line of text.split('\n')) {
    if (!line.includes(ours) || !line.includes(theirs)) continue;
    const cols = line.trim().split(/\s+/); // sl local rem st tx:rx tr:tm retrnsmt uid ...
    const local = decode(cols[1] ?? '');
    const rem = decode(cols[2] ?? '');
    if (!local || !rem || local.port !== theirPort || rem.port !== ourPort) continue;
    if (same(local.bytes, them) && same(rem.bytes, us))
      return { uid: Number(cols[7]), state: parseInt(cols[3] ?? '', 16) };
  }
  return null;
}

/**
 * The uid and TCP state of the far end of `socket` from /proc/net/tcp, then tcp6 (the slow path: a scan of every
 * socket on the machine, a few ms with thousands open). Null when no row is found or there is no /proc.
 */
export function peerRowFromProc(socket: Socket): { uid: number; state: number } | null {
  const { localAddress, localPort, remoteAddress, remotePort } = socket;
  if (!localAddress || !remoteAddress || !localPort || !remotePort) return null;
  const [us, them] = [addressBytes(localAddress), addressBytes(remoteAddress)];
  for (const file of PROC_NET) {
    const row = findRowState(readTable(file), us, localPort, them, remotePort);
    if (row) return row;
  }
  return null;
}

/**
 * Once `socket` connects, destroys it with UNTRUSTED_LISTENER if the listener belongs to a user other than
 * `uid` (or root). Call it right after net.connect(), before anything is written: listeners run in order, so
 * this one runs before a queued write (an HTTP request with the token) is flushed. Unknown owners pass
 * (macOS has no /proc; launchd's sockets belong to root anyway).
 */
export function verifyPeerOnConnect(socket: Socket, uid = process.getuid?.(), read?: () => string | null): void {
  if (uid === undefined) return;
  socket.once('connect', () => {
    const owner = peerUid(socket, read?.());
    if (owner === null || owner === uid || owner === 0) return;
    socket.destroy(
      new InitsockError(
        'UNTRUSTED_LISTENER',
        `refusing to talk to ${socket.remoteAddress}:${socket.remotePort}: the process listening there belongs to uid ${owner}, not to you ` +
          `(uid ${uid}), so it could be another user's server waiting for your token. Find it with: ss -ltnp 'sport = :${socket.remotePort}'; ` +
          'then reinstall the service (install-service) once the port is free.',
        { details: { owner, port: socket.remotePort } },
      ),
    );
  });
}
