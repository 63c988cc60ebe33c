// serve(app): runs an Express app or a plain request handler on the activated socket(s), with idle exit and graceful shutdown.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { detectActivation, type DetectOptions } from '../activation/detect.js';
import type { Activation } from '../activation/types.js';
import { ownedChildren, type ChildRegistry } from './children.js';
import { systemClock, type Clock } from './clock.js';
import { createIdleTimer } from './idle.js';
import { Lifecycle, type LifecycleDeps } from './lifecycle.js';
import { listenOnAddress, listenOnFd } from './listen.js';
import { chooseLogMode, createLogger, type Logger } from './logger.js';
import { ConnectionTracker } from './tracker.js';

/** Runs before the app; when it returns false it has answered the request itself and the app is skipped. */
export type RequestGuard = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface ServeOptions extends DetectOptions {
  /** Use this activation instead of detecting one. */
  activation?: Activation;
  /** Exit after this long with no open connection; 0 (the default) = never. */
  idleTimeoutMs?: number;
  /** How long a shutdown waits for requests in flight (default 10 s). */
  shutdownTimeoutMs?: number;
  guard?: RequestGuard;
  /** Default: a winston logger in the form the environment expects (see logger.ts). */
  logger?: Logger;
  /** Called to end the process (default process.exit); tests inject their own. */
  exit?: (code: number) => void;
  clock?: Clock;
  /** Install SIGTERM/SIGINT handlers (default true). */
  handleSignals?: boolean;
  /** Exit 1 on an uncaught exception (default true). */
  handleCrashes?: boolean;
  /** The children stopped on exit (default: those started with spawnChild). */
  children?: ChildRegistry;
  /** How long owned children get between SIGTERM and SIGKILL (default 5 s). */
  childGraceMs?: number;
}

export interface ServeStats { requests: number; connections: number; inFlight: number }

export interface ServeHandle {
  activation: Activation;
  /** Where each server listens, in activation order. */
  addresses: Array<AddressInfo | string | null>;
  servers: Server[];
  logger: Logger;
  stats(): ServeStats;
  /** Stops accepting, finishes requests in flight (within shutdownTimeoutMs) and stops owned children; does not exit. */
  close(): Promise<void>;
}

/** Builds the request listener: the guard, then the app. */
function handlerFor(app: RequestListener, guard?: RequestGuard): RequestListener {
  if (!guard) return app;
  return (req, res) => { if (guard(req, res)) app(req, res); };
}

/** Creates one HTTP server per inherited socket (or one for --listen) and starts listening; closes all on failure. */
async function listenAll(activation: Activation, make: () => Server): Promise<Server[]> {
  const servers: Server[] = [];
  try {
    if (activation.kind === 'listen') {
      servers.push(make());
      await listenOnAddress(servers[0]!, activation.host, activation.port);
    } else {
      for (const socket of activation.sockets) {
        const server = make();
        servers.push(server);
        await listenOnFd(server, socket.fd, socket.name);
      }
    }
  } catch (err) {
    for (const s of servers) if (s.listening) s.close();
    throw err;
  }
  return servers;
}

/** Creates the lifecycle with the options' defaults and installs its process handlers. */
function startLifecycle(options: ServeOptions, deps: Pick<LifecycleDeps, 'servers' | 'tracker' | 'logger' | 'clock'>): Lifecycle {
  const lifecycle = new Lifecycle({
    ...deps,
    children: options.children ?? ownedChildren,
    exit: options.exit ?? ((code) => process.exit(code)),
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
    childGraceMs: options.childGraceMs ?? 5000,
  });
  lifecycle.installProcessHandlers(options.handleSignals ?? true, options.handleCrashes ?? true);
  return lifecycle;
}

/** Serves `app` on every socket this process was activated with. Throws InitsockError codes from activation and listen. */
export async function serve(app: RequestListener, options: ServeOptions = {}): Promise<ServeHandle> {
  const logger = options.logger ?? createLogger({ mode: chooseLogMode(options.env ?? process.env) });
  const activation = options.activation ?? detectActivation(options);
  const clock = options.clock ?? systemClock;
  let lifecycle: Lifecycle | undefined;
  const idle = createIdleTimer(options.idleTimeoutMs ?? 0, clock, () => lifecycle?.idleExit());
  const tracker = new ConnectionTracker({ onIdle: () => idle.idle(), onBusy: () => idle.busy() });
  const handler = handlerFor(app, options.guard);
  const servers = await listenAll(activation, () => {
    // Bounded waits for slow or stalled clients: headers within 15 s, the whole request body within 2 min (checked every 5 s).
    const server = createServer({ headersTimeout: 15_000, requestTimeout: 120_000, connectionsCheckingInterval: 5_000 });
    tracker.attach(server);
    server.on('request', handler);
    return server;
  });
  lifecycle = startLifecycle(options, { servers, tracker, logger, clock });
  if (tracker.isIdle()) idle.idle(); // else the last connection to close arms it
  const addresses = servers.map((s) => s.address());
  logger.info(`serving on ${describe(activation, addresses)} (${activation.kind} activation)`);
  const life = lifecycle;
  return {
    activation, addresses, servers, logger,
    stats: () => ({ requests: tracker.requests, connections: tracker.connections, inFlight: tracker.inFlight }),
    close: async () => { idle.stop(); await life.close(); life.removeProcessHandlers(); },
  };
}

function describe(activation: Activation, addresses: Array<AddressInfo | string | null>): string {
  const where = addresses.map((a) => (a && typeof a === 'object' ? `${a.address}:${a.port}` : String(a)));
  if (activation.kind === 'listen') return where.join(', ');
  return activation.sockets.map((s, i) => `fd ${s.fd} "${s.name}" ${where[i] ?? ''}`.trim()).join(', ');
}
