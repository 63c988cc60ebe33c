// Real socket activation without a manager: systemd-socket-activate holds the port and execs the worker on the first connection.
import { start, stop, waitForLine, type Proc } from './procs.js';

/** A worker command: argv (node first) and extra environment it needs. */
export interface WorkerCommand {
  argv: string[];
  env?: Record<string, string>;
}

/** A socket waiting for its first connection; `proc` becomes the worker (systemd-socket-activate execs in place). */
export interface ActivatedSocket {
  port: number;
  proc: Proc;
  stop(): Promise<void>;
}

/**
 * Binds 127.0.0.1:`port` through systemd-socket-activate, which waits (in its default, non-accept mode) for
 * the first connection and then execs `cmd` with LISTEN_FDS=1 and LISTEN_PID set to the same pid. It passes
 * only TERM, PATH, USER and HOME through, so every other variable goes in with -E. Resolves once the socket
 * is listening, without connecting to it (a connection would start the worker).
 */
export async function activateOnFirstConnection(port: number, cmd: WorkerCommand): Promise<ActivatedSocket> {
  const envFlags = Object.entries(cmd.env ?? {}).flatMap(([k, v]) => ['-E', `${k}=${v}`]);
  const argv = ['systemd-socket-activate', '-l', `127.0.0.1:${port}`, ...envFlags, ...cmd.argv];
  const proc = start(argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = proc.child.stderr;
  if (!stderr) throw new Error('systemd-socket-activate: no stderr pipe');
  try {
    await Promise.race([
      waitForLine(stderr, /^Listening on /),
      proc.exited.then((code) => {
        throw new Error(`systemd-socket-activate exited with ${code} before listening on ${port}`);
      }),
    ]);
  } catch (err) {
    await stop(proc);
    throw err;
  }
  return { port, proc, stop: () => stop(proc) };
}
