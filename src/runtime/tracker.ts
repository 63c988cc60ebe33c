// Tracks open connections and in-flight requests across every server, and drains them on shutdown.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { KEEPALIVE_QUIET_MS } from '../contract/index.js';
import { systemClock, type Clock } from './clock.js';

interface ConnState {
  /** Responses on this connection that have not finished (their count is the in-flight requests). */
  open: Set<ServerResponse>;
  /** Requests answered on this connection (0 = accepted, no request read yet). */
  served: number;
  /** While draining an idle keep-alive connection: the timer that closes it once it stayed quiet. */
  quiet?: unknown;
}

export interface TrackerEvents {
  /** The last open connection closed. */
  onIdle?: () => void;
  /** The first connection opened after being idle. */
  onBusy?: () => void;
}

/** Ends a connection gracefully: our FIN after any pending write, then close without waiting for the peer's. */
function closeSocket(socket: Socket): void {
  socket.once('finish', () => socket.destroy());
  socket.end();
}

export class ConnectionTracker {
  private readonly conns = new Map<Socket, ConnState>();
  private draining = false;
  private drained: (() => void) | undefined;
  requests = 0;

  constructor(
    private readonly events: TrackerEvents = {},
    private readonly clock: Clock = systemClock,
  ) {}

  get connections(): number {
    return this.conns.size;
  }
  get inFlight(): number {
    let n = 0;
    for (const s of this.conns.values()) n += s.open.size;
    return n;
  }
  /** Idle means no open connection at all (so nothing is in flight either). */
  isIdle(): boolean {
    return this.conns.size === 0;
  }

  /** Call before adding the request handler, so that the tracker sees each request first. */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.onConnection(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
  }

  private onConnection(socket: Socket): void {
    const wasIdle = this.conns.size === 0;
    this.conns.set(socket, { open: new Set(), served: 0 });
    socket.once('close', () => {
      this.conns.delete(socket);
      if (this.conns.size === 0) {
        this.events.onIdle?.();
        this.drained?.();
      }
    });
    if (wasIdle) this.events.onBusy?.();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.requests += 1;
    const state = this.conns.get(req.socket);
    if (!state) return;
    state.open.add(res);
    if (state.quiet !== undefined) {
      this.clock.clearTimeout(state.quiet);
      state.quiet = undefined;
    }
    if (this.draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      state.open.delete(res);
      state.served += 1;
      if (this.draining && state.open.size === 0) closeSocket(req.socket);
    });
  }

  /**
   * Starts draining: asks in-flight requests to close their connection after the response (`Connection: close`),
   * lets connections that were accepted but have not sent a request yet send it, and closes idle keep-alive
   * connections only once they stayed quiet for KEEPALIVE_QUIET_MS: a client that reuses one meanwhile gets its
   * answer (with `Connection: close`) instead of a connection closed under its request. Resolves once every
   * connection has closed.
   */
  drain(): Promise<void> {
    this.draining = true;
    for (const [socket, state] of this.conns) {
      if (state.open.size === 0 && state.served > 0) this.closeWhenQuiet(socket, state, socket.bytesRead);
      for (const res of state.open) if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    if (this.conns.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  /** Closes an idle connection after the quiet period, unless a request started arriving on it meanwhile. */
  private closeWhenQuiet(socket: Socket, state: ConnState, bytesRead: number): void {
    state.quiet = this.clock.setTimeout(() => {
      state.quiet = undefined;
      if (state.open.size > 0) return; // a request came: its response closes the connection
      if (socket.bytesRead > bytesRead)
        this.closeWhenQuiet(socket, state, socket.bytesRead); // headers on their way
      else closeSocket(socket);
    }, KEEPALIVE_QUIET_MS);
  }

  /** Destroys every remaining connection (the shutdown deadline passed). */
  destroyAll(): void {
    for (const [socket, state] of this.conns) {
      this.clock.clearTimeout(state.quiet);
      socket.destroy();
    }
  }
}
