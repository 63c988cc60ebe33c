// Listening as a promise: on an inherited fd (a bad fd is a clean BAD_FD error, never a crash) or on an address.
import { fstatSync } from 'node:fs';
import { Server } from 'node:net';
import { InitsockError } from '../errors.js';
import { checkServesFd } from './served-socket.js';

/** Resolves once `server` listens, rejects with the 'error' it emits instead; removes both listeners either way. */
function listenPromise(server: Server, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    start();
  });
}

function badFd(fd: number, name: string, why: string, cause?: unknown): InitsockError {
  return new InitsockError(
    'BAD_FD',
    `cannot listen on inherited fd ${fd} ("${name}"): ${why}. The process that ` +
      'started this worker must pass a listening stream socket at fds 3, 4, ... (check the socket unit, or the fallback client).',
    { cause, details: { fd, name } },
  );
}

/** Checks synchronously that `fd` is open and is a socket, which turns the common mistakes into clear errors. */
function checkSocketFd(fd: number, name: string): void {
  if (!Number.isInteger(fd) || fd < 0) throw badFd(fd, name, 'not a file descriptor number');
  let isSocket: boolean;
  try {
    isSocket = fstatSync(fd).isSocket();
  } catch (err) {
    throw badFd(fd, name, `it is not open (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err);
  }
  if (!isSocket) throw badFd(fd, name, 'it is not a socket');
}

/**
 * The backlog given to listen() on an inherited socket. Node calls listen() again on the fd, which replaces the
 * queue length the init system chose, and Node's default (511) would silently shrink systemd's Backlog=4096: in a
 * storm of 1000 first connections the surplus SYNs were dropped and retried a second later. The kernel caps the
 * value at net.core.somaxconn, so this keeps the largest queue the system allows, as systemd does by default.
 */
export const INHERITED_BACKLOG = 2 ** 31 - 1;

/**
 * Serves `server` on the inherited listening socket `fd`. net.Server.listen({fd}) reports a bad fd (a file, a
 * datagram socket, a closed fd) asynchronously through 'error', which would crash an unprepared process: this
 * rejects with BAD_FD instead. Then it checks that the server really serves that socket (WRONG_SOCKET otherwise).
 */
export async function listenOnFd(server: Server, fd: number, name = 'unknown'): Promise<void> {
  checkSocketFd(fd, name);
  try {
    // The backlog goes as the second argument: for {fd}, Node 20 ignores options.backlog and takes only that one.
    await listenPromise(server, () => server.listen({ fd }, INHERITED_BACKLOG));
  } catch (err) {
    throw badFd(fd, name, (err as Error).message, err);
  }
  if (process.versions.bun) await relistenUnderBun(fd);
  try {
    checkServesFd(server, fd, name);
  } catch (err) {
    server.close(); // the listener the runtime opened on its own
    throw err;
  }
}

/**
 * bun re-listens an inherited fd with a backlog of 511 whatever it is given; calling libc's listen() again on the
 * same socket restores the queue length INHERITED_BACKLOG stands for (Linux lets a listening socket change it).
 */
async function relistenUnderBun(fd: number): Promise<void> {
  const ffiName = 'bun:ffi'; // a variable, so that tsc and esbuild leave this import to bun
  try {
    const { dlopen, FFIType } = (await import(ffiName)) as { dlopen: Function; FFIType: Record<string, unknown> };
    const libc = dlopen(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6', {
      listen: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    }) as { symbols: { listen: (fd: number, n: number) => number }; close: () => void };
    libc.symbols.listen(fd, INHERITED_BACKLOG);
    libc.close();
  } catch {
    /* the queue stays at bun's 511 */
  }
}

/** Binds `host:port` ourselves (explicit --listen only). EADDRINUSE becomes PORT_IN_USE. */
export async function listenOnAddress(server: Server, host: string, port: number): Promise<void> {
  try {
    await listenPromise(server, () => server.listen({ host, port }));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new InitsockError(
        'PORT_IN_USE',
        `cannot listen on ${host}:${port}: the port is already in use. ` +
          'Stop whatever holds it (or the installed service), or choose another port.',
        { cause: err },
      );
    }
    throw new InitsockError(
      'INVALID_VALUE',
      `cannot listen on ${host}:${port}: ${(err as Error).message}. ` + 'Check the --listen address.',
      { cause: err },
    );
  }
}

/**
 * Stops accepting at once: closes the listening handle synchronously, in the caller's tick. It calls net.Server's
 * close, not http.Server's: since Node 19 the latter also closes idle keep-alive connections, which would reset a
 * connection that was accepted but whose request has not been read yet. Connections not yet accepted stay in the
 * kernel queue of the socket the init system still holds, for the next instance.
 */
export function stopAccepting(server: Server): void {
  if (server.listening) Server.prototype.close.call(server);
}
