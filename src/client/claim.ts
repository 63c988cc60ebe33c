// The kernel's bind as the spawn lock: whoever binds the loopback port first may start the worker; nobody else ever does.
import { createServer, type Server } from 'node:net';
import { InitsockError } from '../errors.js';

/** The address the client binds and dials by default (never `localhost`: some resolvers try ::1 first). */
export const LOOPBACK = '127.0.0.1';

/**
 * Tries to bind and listen on 127.0.0.1:`port`. Resolves with the listening server when we won
 * (we now hold the lock, and connections queue in our backlog), or null when the port is already
 * bound (EADDRINUSE: someone else holds it, so just connect). The lock is the socket itself: the
 * kernel releases it when the last process holding it closes it or dies, so there is nothing stale
 * to clean up and no window between "check" and "act". Other bind errors throw UNREACHABLE.
 */
export function claimPort(port: number, host: string = LOOPBACK): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') resolve(null);
      else reject(bindError(host, port, err));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // exclusive: never share the handle through cluster; the bind must be ours alone.
    server.listen({ host, port, exclusive: true });
  });
}

function bindError(host: string, port: number, err: NodeJS.ErrnoException): InitsockError {
  return new InitsockError(
    'UNREACHABLE',
    `cannot start a fallback worker on ${host.includes(':') ? `[${host}]` : host}:${port}: binding the port failed with ${err.code ?? err.message}. ` +
      'Pick another port with --port, or install the service with `install-service`.',
    { cause: err, details: { port } },
  );
}
