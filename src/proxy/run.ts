// The proxy worker: owns the inherited socket, runs the program as its child, and streams connections to it once it is healthy.
import type { Server, Socket } from 'node:net';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { detectActivation } from '../activation/detect.js';
import type { Activation } from '../activation/types.js';
import { ownedChildren, type ChildRegistry } from '../runtime/children.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { createIdleTimer, type IdleTimer } from '../runtime/idle.js';
import { Lifecycle } from '../runtime/lifecycle.js';
import { flushLogger, type Logger } from '../runtime/logger.js';
import { ConnectionTracker } from '../runtime/tracker.js';
import { LOG_FLUSH_MS, shutdownBudget } from '../contract/shutdown.js';
import { adoptUnmanaged, processTree } from '../runtime/descendants.js';
import { CHILD_DIED_EXIT, statusMatches, type ProxyOptions } from '../contract/proxy.js';
import { describeEnd, startChild } from './child.js';
import { forwardRequest, forwardUpgrade } from './forward.js';
import { webGuards, type ProxyGuardOptions, type WebGuards } from './guard.js';
import { describe, formatStatuses, listenAll, proxyHttpServer, proxyListener } from './servers.js';
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
  /** The Host/Origin check of every request and upgrade (extra names and origins), or false to pass web pages' requests too. */
  guard: ProxyGuardOptions | false;
  clock?: Clock;
  children?: ChildRegistry;
}

export interface ProxyHandle {
  activation: Activation;
  servers: Server[];
  /** Resolves once the child is healthy (false when it never was: died, timed out, or the worker stopped). */
  ready: Promise<boolean>;
}

/** The running proxy: its connections, its child, and how it stops. */
class ProxyWorker {
  private ready = false;
  /** Requests and upgrades that arrived before the child was healthy: their socket, and how to pass them on. */
  private readonly pending: Array<{ socket: Duplex; go: () => void }> = [];
  private readonly guards: WebGuards | null;
  private readonly idle: IdleTimer;
  readonly tracker: ConnectionTracker;
  life!: Lifecycle;

  constructor(
    private readonly o: ProxyRunOptions,
    private readonly clock: Clock,
  ) {
    this.idle = createIdleTimer(o.idleTimeoutMs, clock, () => void this.idleCheck());
    this.tracker = new ConnectionTracker({ onIdle: () => this.idle.idle(), onBusy: () => this.idle.busy() }, clock);
    this.guards = o.guard === false ? null : webGuards(o.guard, o.logger);
  }

  /** A connection was accepted: another user's is closed unread (false). */
  readonly onConnection = (socket: Socket): boolean => {
    if (!this.o.admit || this.o.admit(socket)) return true;
    socket.destroy();
    return false;
  };

  /** A request: refused by the guard (answered here, never seen by the child), held until the child is ready, or forwarded. */
  readonly onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (this.guards && !this.guards.request(req, res)) return;
    this.when(req.socket, () => forwardRequest(req, res, this.o.proxy.port, this.onError));
  };

  /** An upgrade (WebSocket): the same guard, then the connection is handed to the child as bytes. */
  readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (this.guards && !this.guards.upgrade(req, socket)) return;
    this.when(socket, () => forwardUpgrade(req, socket, head, this.o.proxy.port, this.onError));
  };

  private when(socket: Duplex, go: () => void): void {
    if (this.ready) go();
    else this.pending.push({ socket, go });
  }

  private readonly onError = (err: Error): void => {
    this.o.logger.debug(`proxied request failed: ${err.message}`);
  };

  /** Takes the servers over: lifecycle (signals, idle exit, drain, stopping the child) and the idle countdown. */
  manage(servers: Server[], children: ChildRegistry): void {
    this.life = new Lifecycle({
      servers: servers as HttpServer[],
      tracker: this.tracker,
      children,
      tree: processTree,
      logger: this.o.logger,
      clock: this.clock,
      exit: this.o.exit,
      budget: shutdownBudget(this.o.shutdownTimeoutMs),
    });
    this.life.installProcessHandlers(true, true);
    if (this.tracker.isIdle()) this.idle.idle();
  }

  /** Exits non-zero (the init system restarts the service), after closing what is open. */
  fail(message: string): void {
    if (!this.life.serving) return;
    this.o.logger.error(message);
    for (const { socket } of this.pending.splice(0)) socket.destroy();
    void this.life
      .close()
      .then(() => flushLogger(this.o.logger, LOG_FLUSH_MS))
      .then(() => {
        this.life.removeProcessHandlers();
        this.o.exit(CHILD_DIED_EXIT);
      });
  }

  /** The idle timeout passed: ask the child's idle route (if any), then exit unless it is still working. */
  private async idleCheck(): Promise<void> {
    const { proxy, logger } = this.o;
    if (proxy.idlePath && this.ready) {
      const status = await probeStatus(proxy.port, proxy.idlePath);
      if (status === null || !statusMatches(status, proxy.healthStatus)) {
        logger.debug(`idle, but ${proxy.idlePath} answered ${status ?? 'nothing'}: the program is still working`);
        if (this.tracker.isIdle()) this.idle.idle();
        return;
      }
    }
    this.life.idleExit();
  }

  /** Polls the child's health route; once it answers, passes the waiting connections through. */
  async awaitReady(child: ChildProcess): Promise<boolean> {
    const { proxy, logger } = this.o;
    const started = Date.now();
    const { outcome, last } = await waitHealthy({
      port: proxy.port,
      path: proxy.healthPath,
      statuses: proxy.healthStatus,
      timeoutMs: proxy.readyTimeoutMs,
      stopped: () => !this.life.serving || child.exitCode !== null || child.signalCode !== null,
    });
    if (outcome === 'timeout') {
      this.fail(
        `${proxy.command} did not answer GET ${proxy.healthPath} on port ${proxy.port} with ${formatStatuses(proxy)} within ` +
          `${proxy.readyTimeoutMs} ms (last answer: ${last ?? 'none'}); check that it listens on 127.0.0.1:${proxy.port} and serves that route`,
      );
    }
    if (outcome !== 'ready') return false;
    this.ready = true;
    logger.info(
      `${proxy.command} is ready after ${Date.now() - started} ms; passing ${this.pending.length} waiting request(s) through`,
    );
    for (const { socket, go } of this.pending.splice(0)) if (!socket.destroyed) go();
    return true;
  }
}

/** Starts the proxy worker. Throws activation and listen errors (the worker exits 78); later failures exit 1. */
export async function runProxy(o: ProxyRunOptions): Promise<ProxyHandle> {
  const { proxy, logger } = o;
  const activation = detectActivation({
    env: o.env,
    ...(o.socketName ? { socketName: o.socketName } : {}),
    ...(o.listen ? { listen: o.listen } : {}),
  });
  const children = o.children ?? ownedChildren;
  const worker = new ProxyWorker(o, o.clock ?? systemClock);
  const http = proxyHttpServer(worker);
  const servers = await listenAll(activation, () => proxyListener(http, worker.onConnection));
  worker.manage(servers, children);
  adoptUnmanaged(activation.kind, logger); // before the child starts, so what it leaves behind re-parents here
  const { child, ended } = startChild(proxy, o.env, children);
  logger.info(
    `started ${proxy.command} (pid ${child.pid ?? '-'}); waiting for GET ${proxy.healthPath} on port ${proxy.port}`,
  );
  void ended.then((end) =>
    worker.fail(
      `${proxy.command} ${describeEnd(end)}; exiting ${CHILD_DIED_EXIT} so that the init system starts it again`,
    ),
  );
  const ready = worker.awaitReady(child);
  logger.info(
    `proxying ${describe(activation, servers)} to 127.0.0.1:${proxy.port} (${activation.kind} activation${o.guard ? '' : ', unguarded'})`,
  );
  if (!o.guard)
    logger.warn(
      'the proxy runs without its Host/Origin check (--allow-web-pages): web pages (DNS rebinding, cross-site requests) can reach every route of the program',
    );
  return { activation, servers, ready };
}
