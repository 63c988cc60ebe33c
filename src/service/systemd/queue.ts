// A service that keeps starting while connections wait unaccepted in its socket's queue: the exits-0 loop seen by status
// before the start limit ends it. The accept queue is rx_queue of the LISTEN row in /proc/net/tcp{,6}.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceConfig, ServiceStatus, SystemContext } from '../types.js';
import { loopDiagnosis, loopFix } from './loop.js';
import { showUnits } from './show.js';

/**
 * How long status watches a non-empty queue for a restart (only then: an empty queue costs nothing, and the watch ends
 * as soon as the queue empties). Longer than one turn of claude-mem's loop (about 3 s), shorter than a hook's patience.
 */
export const QUEUE_WATCH_MS = 4000;
const QUEUE_POLL_MS = 250;

/** Connections waiting to be accepted on the listener of `port` (0 when none, or no such listener). */
export function acceptQueue(port: number, root = '/'): number {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let waiting = 0;
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(join(root, 'proc/net', table), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/); // sl local rem st tx_queue:rx_queue ...; for LISTEN, rx_queue is the accept queue
      if (cols[3] === '0A' && cols[1]?.endsWith(hexPort)) waiting += parseInt(cols[4]?.split(':')[1] ?? '0', 16) || 0;
    }
  }
  return waiting;
}

/**
 * `st` (listening or running), or failed with the loop's diagnosis when connections stay queued while the service
 * starts again (a new main process): nobody takes the socket. Watches for at most QUEUE_WATCH_MS, and only while
 * connections wait; a program still starting up (queue waiting, same process) stays as it is.
 */
export async function withQueueCheck(
  st: ServiceStatus,
  cfg: ServiceConfig,
  ctx: SystemContext,
): Promise<ServiceStatus> {
  if ((st.state !== 'running' && st.state !== 'listening') || st.port === null || acceptQueue(st.port, ctx.root) === 0)
    return st;
  const before = (await showUnits(cfg.name, ctx)).service;
  for (let waited = 0; waited < QUEUE_WATCH_MS; waited += QUEUE_POLL_MS) {
    await delay(QUEUE_POLL_MS);
    const waiting = acceptQueue(st.port, ctx.root);
    if (waiting === 0) return st;
    const now = (await showUnits(cfg.name, ctx)).service;
    if (now.ExecMainStartTimestampMonotonic !== before.ExecMainStartTimestampMonotonic)
      return stuck(st, cfg, waiting, now.NRestarts !== before.NRestarts);
  }
  return st;
}

/** The failed status: a restart counted by systemd is a crash; an uncounted one is a clean exit, the loop. */
function stuck(st: ServiceStatus, cfg: ServiceConfig, waiting: number, crashed: boolean): ServiceStatus {
  const queue = `${waiting} connection${waiting === 1 ? '' : 's'} wait in the socket's queue while the service keeps starting`;
  return crashed
    ? {
        ...st,
        state: 'failed',
        pid: null,
        reason: `${cfg.name}.service keeps failing at start-up (${queue})`,
        fix: `install-service logs --name ${cfg.name}`,
      }
    : { ...st, state: 'failed', pid: null, reason: `${loopDiagnosis()} (${queue})`, fix: loopFix(cfg) };
}
