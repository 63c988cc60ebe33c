// serve(app): runs an Express app or a plain request handler on the activated socket(s), guarded, with idle exit and graceful shutdown.
import { CHILD_GRACE_MS, DEFAULT_DRAIN_MS, shutdownBudget } from '../contract/index.js';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { peerGuard } from '../security/peer-guard.js';
import type { AddressInfo } from 'node:net';
import { detectActivation } from '../activation/detect.js';
import type { Activation } from '../activation/types.js';
import { ownedChildren } from './children.js';
import { processTree } from './descendants.js';
import { systemClock } from './clock.js';
import { createIdleTimer } from './idle.js';
import { Lifecycle, type LifecycleDeps } from './lifecycle.js';
import { listenOnAddress, listenOnFd } from './listen.js';
import { chooseLogMode, createLogger, levelEnabled, type Logger } from './logger.js';
import { requestHandler, type App } from './serve-handler.js';
import { guardFor, resolveServeOptions, type ServeOptions } from './serve-options.js';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, TIMEOUT_CHECK_INTERVAL_MS } from './http-limits.js';
import { ConnectionTracker } from './tracker.js';
import { captureOutput } from './capture-output.js';
import { healthBody, sendJson } from '../worker/health.js';

export type { App, Next, RequestGuard } from './serve-handler.js';
export type { ServeOptions } from './serve-options.js';

export interface ServeStats {
  requests: number;
  connections: number;
  inFlight: number;
}

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
function startLifecycle(
  options: ServeOptions,
  deps: Pick<LifecycleDeps, 'servers' | 'tracker' | 'logger' | 'clock'>,
): Lifecycle {
  const lifecycle = new Lifecycle({
    ...deps,
    children: options.children ?? ownedChildren,
    tree: options.tree ?? processTree,
    exit: options.exit ?? ((code) => process.exit(code)),
    budget: {
      ...shutdownBudget(options.shutdownTimeoutMs ?? DEFAULT_DRAIN_MS),
      childGraceMs: options.childGraceMs ?? CHILD_GRACE_MS,
    },
  });
  lifecycle.installProcessHandlers(options.handleSignals ?? true, options.handleCrashes ?? true);
  return lifecycle;
}

/**
 * Serves `app` on every socket this process was activated with. Throws InitsockError codes from activation and
 * listen, INVALID_VALUE for a bad flag, and UNSAFE_PATH / BAD_TOKEN_FILE for a token file it must not use.
 */
export async function serve(app: App, given: ServeOptions = {}): Promise<ServeHandle> {
  const options = resolveServeOptions(given);
  const { logLevel, logFile } = options.settings;
  const logger =
    options.logger ??
    createLogger({
      mode: chooseLogMode(options.env ?? process.env, logFile),
      ...(logLevel ? { level: logLevel } : {}),
      ...(logFile ? { file: logFile } : {}),
      name: options.name,
    });
  const guard = guardFor(options, options.settings, logger);
  const activation = options.activation ?? detectActivation(options);
  (options.children ?? ownedChildren).adoptActivation(activation.kind);
  const clock = options.clock ?? systemClock;
  let lifecycle: Lifecycle | undefined;
  const idle = createIdleTimer(options.idleTimeoutMs ?? 0, clock, () => lifecycle?.idleExit());
  const tracker = new ConnectionTracker(
    {
      onIdle: () => {
        debugIdle(logger, options.idleTimeoutMs ?? 0);
        idle.idle();
      },
      onBusy: () => {
        if (levelEnabled(logger, 'debug')) logger.debug('a connection is open: no idle exit while it lasts');
        idle.busy();
      },
    },
    clock,
  );
  const health =
    options.health === false
      ? undefined
      : (_req: unknown, res: Parameters<typeof sendJson>[0]) =>
          sendJson(res, 200, healthBody(options.name, activation.kind, tracker.requests));
  const handler = requestHandler(app, { ...(guard ? { guard } : {}), ...(health ? { health } : {}), logger });
  const admit = options.allowOtherUsers ? null : peerGuard({ logger });
  const servers = await listenAll(activation, () => {
    // Bounded waits for slow or stalled clients: all headers, then the whole request, each within its limit.
    const server = createServer({
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    });
    // Before anything reads it: another user's connection is closed unanswered (the server then sees a closed socket).
    if (admit)
      server.prependListener('connection', (socket: Socket) => {
        if (!admit(socket)) socket.destroy();
      });
    tracker.attach(server);
    server.on('request', handler);
    return server;
  });
  const release = options.captureConsole === false ? () => {} : captureOutput(logger);
  lifecycle = startLifecycle(options, { servers, tracker, logger, clock });
  if (tracker.isIdle()) idle.idle(); // else the last connection to close arms it
  const addresses = servers.map((s) => s.address());
  logger.info(
    `serving on ${describe(activation, addresses)} (${activation.kind} activation${guard ? '' : ', unguarded'})`,
  );
  if (!guard)
    logger.warn(
      'serve() runs without a request guard (guard: false): other local users and web pages can reach every route',
    );
  const life = lifecycle;
  return {
    activation,
    addresses,
    servers,
    logger,
    stats: () => ({ requests: tracker.requests, connections: tracker.connections, inFlight: tracker.inFlight }),
    close: async () => {
      idle.stop();
      await life.close();
      life.removeProcessHandlers();
      release();
    },
  };
}

function debugIdle(logger: Logger, timeoutMs: number): void {
  if (!levelEnabled(logger, 'debug')) return;
  logger.debug(
    timeoutMs > 0
      ? `no open connection: idle exit in ${timeoutMs} ms unless one arrives`
      : 'no open connection (idle exit is off)',
  );
}

function describe(activation: Activation, addresses: Array<AddressInfo | string | null>): string {
  const where = addresses.map((a) => (a && typeof a === 'object' ? `${a.address}:${a.port}` : String(a)));
  if (activation.kind === 'listen') return where.join(', ');
  return activation.sockets.map((s, i) => `fd ${s.fd} "${s.name}" ${where[i] ?? ''}`.trim()).join(', ');
}
