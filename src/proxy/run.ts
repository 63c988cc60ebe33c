// The proxy worker: owns the inherited socket, runs the program as its child, and streams connections to it once it is healthy.
import { Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { detectActivation } from '../activation/detect.js';
import type { Activation } from '../activation/types.js';
import { ownedChildren, type ChildRegistry } from '../runtime/children.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { createIdleTimer } from '../runtime/idle.js';
import { Lifecycle } from '../runtime/lifecycle.js';
import { listenOnAddress, listenOnFd } from '../runtime/listen.js';
import { flushLogger, type Logger } from '../runtime/logger.js';
import { ConnectionTracker } from '../runtime/tracker.js';
import { LOG_FLUSH_MS, shutdownBudget } from '../contract/shutdown.js';
import { CHILD_DIED_EXIT, statusMatches, type ProxyOptions } from '../contract/proxy.js';
import { describeEnd, startChild } from './child.js';
import { adoptUnmanaged, processTree } from '../runtime/descendants.js';
import { pipeToUpstream } from './pipe.js';
import { probeStatus, waitHealthy } from './upstream.js';

export interface ProxyRunOptions {
  proxy: ProxyOptions;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  exit: (code: number) => void;
  idleTimeoutMs: number;
  shutdownTimeoutMs: number;
  socketName?: string;
  listen?: { host: string; port: number };
  /** Decides at accept time whether a connection may pass (false: it is closed unanswered). */
  admit?: (socket: Socket) => boolean;
  clock?: Clock;
  children?: ChildRegistry;
}

export interface ProxyHandle {
  activation: Activation;
  servers: Server[];
  /** Resolves once the child is healthy (false when it never was: died, timed out, or the worker stopped). */
  ready: Promise<boolean>;
}

/** One net.Server per inherited socket (or the --listen address); connections start paused, so nothing is read before the child is up. */
async function listenAll(activation: Activation, make: () => Server): Promise<Server[]> {
  if (activation.kind === 'listen') {
    const server = make();
    await listenOnAddress(server as HttpServer, activation.host, activation.port);
    return [server];
  }
  const servers: Server[] = [];
  for (const socket of activation.sockets) {
    servers.push(make());
    await listenOnFd(servers.at(-1)!, socket.fd, socket.name);
  }
  return servers;
}

/** Starts the proxy worker. Throws activation and listen errors (the worker exits 78); later failures exit 1. */
export async function runProxy(o: ProxyRunOptions): Promise<ProxyHandle> {
  const { proxy, logger } = o;
  const activation = detectActivation({ env: o.env, ...(o.socketName ? { socketName: o.socketName } : {}), ...(o.listen ? { listen: o.listen } : {}) });
  const clock = o.clock ?? systemClock;
  const children = o.children ?? ownedChildren;
  children.adoptActivation(activation.kind);
  let lifecycle: Lifecycle | undefined;
  let ready = false;
  const pending: Socket[] = [];
  const idle = createIdleTimer(o.idleTimeoutMs, clock, () => void idleCheck());
  const tracker = new ConnectionTracker({ onIdle: () => idle.idle(), onBusy: () => idle.busy() }, clock);
  const onConnection = (socket: Socket) => {
    if (o.admit && !o.admit(socket)) { socket.destroy(); return; }
    if (ready) pass(socket); else pending.push(socket);
  };
  const pass = (socket: Socket) => pipeToUpstream(socket, proxy.port, (err) => logger.debug(`proxied connection failed: ${err.message}`));
  const servers = await listenAll(activation, () => {
    const server = new Server({ pauseOnConnect: true, allowHalfOpen: true });
    tracker.attach(server as HttpServer);
    return server.on('connection', onConnection);
  });
  const life = lifecycle = new Lifecycle({ servers: servers as HttpServer[], tracker, children, tree: processTree, logger,
    clock, exit: o.exit, budget: shutdownBudget(o.shutdownTimeoutMs) });
  adoptUnmanaged(activation.kind, logger); // before the child starts, so what it leaves behind re-parents here
  life.installProcessHandlers(true, true);
  const { child, ended } = startChild(proxy, o.env, children);
  logger.info(`started ${proxy.command} (pid ${child.pid ?? '-'}); waiting for GET ${proxy.healthPath} on port ${proxy.port}`);

  /** Exits non-zero (the init system restarts the service), after closing what is open. */
  const fail = (message: string): void => {
    if (!life.serving) return;
    logger.error(message);
    for (const socket of pending.splice(0)) socket.destroy();
    void life.close().then(() => flushLogger(logger, LOG_FLUSH_MS, clock)).then(() => { life.removeProcessHandlers(); o.exit(CHILD_DIED_EXIT); });
  };
  void ended.then((end) => fail(`${proxy.command} ${describeEnd(end)}; exiting ${CHILD_DIED_EXIT} so that the init system starts it again`));

  /** The idle timeout passed: ask the child's idle route (if any), then exit unless it is still working. */
  async function idleCheck(): Promise<void> {
    if (proxy.idlePath && ready) {
      const status = await probeStatus(proxy.port, proxy.idlePath);
      if (status === null || !statusMatches(status, proxy.healthStatus)) {
        logger.debug(`idle, but ${proxy.idlePath} answered ${status ?? 'nothing'}: the program is still working`);
        if (tracker.isIdle()) idle.idle();
        return;
      }
    }
    lifecycle?.idleExit();
  }

  const started = Date.now();
  const readyPromise = waitHealthy({ port: proxy.port, path: proxy.healthPath, statuses: proxy.healthStatus,
    timeoutMs: proxy.readyTimeoutMs, stopped: () => !life.serving }).then(({ outcome, last }) => {
    if (outcome === 'timeout') fail(`${proxy.command} did not answer GET ${proxy.healthPath} on port ${proxy.port} with ${formatStatuses(proxy)} ` +
      `within ${proxy.readyTimeoutMs} ms (last answer: ${last ?? 'none'}); check that it listens on 127.0.0.1:${proxy.port} and serves that route`);
    if (outcome !== 'ready') return false;
    ready = true;
    logger.info(`${proxy.command} is ready after ${Date.now() - started} ms; passing ${pending.length} waiting connection(s) through`);
    for (const socket of pending.splice(0)) if (!socket.destroyed) pass(socket);
    return true;
  });
  if (tracker.isIdle()) idle.idle();
  logger.info(`proxying ${describe(activation, servers)} to 127.0.0.1:${proxy.port} (${activation.kind} activation)`);
  return { activation, servers, ready: readyPromise };
}

function formatStatuses(proxy: ProxyOptions): string {
  return proxy.healthStatus.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(',');
}

function describe(activation: Activation, servers: Server[]): string {
  const where = servers.map((s) => { const a = s.address(); return a && typeof a === 'object' ? `${a.address}:${a.port}` : String(a); });
  return activation.kind === 'listen' ? where.join(', ') : activation.sockets.map((s, i) => `fd ${s.fd} "${s.name}" ${where[i] ?? ''}`.trim()).join(', ');
}
