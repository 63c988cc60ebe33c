// The proxy's listening side: one paused, half-open net.Server per inherited socket, and how they are described in logs.
import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';
import type { Activation } from '../activation/types.js';
import type { ProxyOptions } from '../contract/proxy.js';
import { listenOnAddress, listenOnFd } from '../runtime/listen.js';

/** One net.Server per inherited socket (or the --listen address); connections start paused, so nothing is read before the child is up. */
export async function listenAll(activation: Activation, make: () => Server): Promise<Server[]> {
  const servers: Server[] = [];
  try {
    if (activation.kind === 'listen') {
      servers.push(make());
      await listenOnAddress(servers[0] as HttpServer, activation.host, activation.port);
    } else {
      for (const socket of activation.sockets) {
        servers.push(make());
        await listenOnFd(servers.at(-1)!, socket.fd, socket.name);
      }
    }
  } catch (err) {
    for (const s of servers) if (s.listening) s.close();
    throw err;
  }
  return servers;
}

/** "200-299,304": the healthy statuses as the flag writes them. */
export function formatStatuses(proxy: ProxyOptions): string {
  return proxy.healthStatus.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(',');
}

/** "fd 3 \"name\" 127.0.0.1:37777, ..." for the start-up line. */
export function describe(activation: Activation, servers: Server[]): string {
  const where = servers.map((s) => { const a = s.address(); return a && typeof a === 'object' ? `${a.address}:${a.port}` : String(a); });
  return activation.kind === 'listen' ? where.join(', ') : activation.sockets.map((s, i) => `fd ${s.fd} "${s.name}" ${where[i] ?? ''}`.trim()).join(', ');
}
