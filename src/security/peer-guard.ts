// Refuses, at accept time, connections from another local user's process (root excepted): Linux, no client change needed.
import type { Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { diagLookup, TCP_TIME_WAIT } from './sock-diag.js';
import { peerRowFromProc } from './peer-owner.js';
import { limitLogger, type LogLimit } from './log-limit.js';
import { isLoopbackHost } from './host.js';
import type { GuardLogger } from './request-guard.js';

/** The owner and TCP state of the connecting socket, or null when it cannot be found. */
export type PeerRow = { uid: number; state: number } | null;

/** sock_diag (one kernel lookup by the 4-tuple, ~0.1 ms) once it is open, else a /proc/net/tcp{,6} scan. */
export function lookupPeer(socket: Socket): PeerRow {
  const { localAddress, localPort, remoteAddress, remotePort } = socket;
  if (!localAddress || !remoteAddress || !localPort || !remotePort) return null;
  const diag = diagLookup({ address: remoteAddress, port: remotePort }, { address: localAddress, port: localPort });
  if (diag !== null) return diag === 'none' ? null : diag;
  return peerRowFromProc(socket);
}

/** Why `row` may not connect to a worker run by `uid`, or null when it may (the same user, or root). */
export function refusalReason(row: PeerRow, uid: number): string | null {
  if (row === null) return 'its socket could not be found, so its owner is unknown';
  // A socket its owner already closed lingers without one: the kernel reports uid 0 for it, which must not pass as root.
  if (row.state === TCP_TIME_WAIT) return 'it was already closed, so its owner is unknown';
  if (row.uid === uid || row.uid === 0) return null;
  return `it belongs to uid ${row.uid}`;
}

export interface PeerGuardOptions {
  /** The user the worker runs as (default: this process's). */
  uid?: number;
  logger?: GuardLogger;
  logLimit?: LogLimit;
  lookup?: (socket: Socket) => PeerRow;
}

/**
 * An accept-time check for serve() and the proxy: returns false (and logs, rate-limited) for a connection whose
 * peer socket belongs to another user, whose owner is unknown, or that was already closed. Null where no owner
 * can be looked up at all (no /proc/net/tcp: not Linux), so callers never claim a check that is not made.
 */
export function peerGuard(options: PeerGuardOptions = {}): ((socket: Socket) => boolean) | null {
  const uid = options.uid ?? process.getuid?.();
  if (uid === undefined || (!options.lookup && !existsSync('/proc/net/tcp'))) return null;
  const lookup = options.lookup ?? lookupPeer;
  const log = limitLogger(options.logger ?? { warn: (m) => process.stderr.write(`${m}\n`) }, options.logLimit);
  return (socket) => {
    const row = lookup(socket);
    // A peer on another machine (only possible with --expose-to-network) has no socket here and no local owner to check.
    if (row === null && socket.remoteAddress && !isLoopbackHost(socket.remoteAddress)) return true;
    const reason = refusalReason(row, uid);
    if (reason === null) return true;
    log.warn(
      `initsock guard: refused a connection from ${socket.remoteAddress}:${socket.remotePort}: ${reason}, and this worker ` +
        `serves only uid ${uid} (and root). Run the client as that user, or start the worker with --allow-other-users.`,
    );
    return false;
  };
}
