// The worker's lifecycle: idle exit, graceful shutdown on SIGTERM/SIGINT (a second one exits at once), crash exit 1.
import { URGENT_FLUSH_MS, type ShutdownBudget } from '../contract/index.js';
import type { Server } from 'node:http';
import type { ChildRegistry } from './children.js';
import type { Clock } from './clock.js';
import type { ProcessTree } from './descendants.js';
import { stopAccepting } from './listen.js';
import { flushLogger, type Logger } from './logger.js';
import type { ConnectionTracker } from './tracker.js';

export interface LifecycleDeps {
  servers: Server[];
  tracker: ConnectionTracker;
  children: ChildRegistry;
  /** Every other descendant (orphans included once adopted), stopped in the same grace as the owned children. */
  tree?: ProcessTree;
  logger: Logger;
  clock: Clock;
  exit: (code: number) => void;
  /** The bound of each phase of a stop (every wait runs on `clock`). */
  budget: ShutdownBudget;
}

type State = 'serving' | 'stopping' | 'stopped';

export class Lifecycle {
  private state: State = 'serving';
  private closing: Promise<void> | undefined;
  private readonly onSignal = (sig: NodeJS.Signals) => this.signal(sig);
  private readonly onCrash = (err: unknown) => {
    void this.crash(err);
  };
  private readonly onExit = () => this.killChildren();

  constructor(private readonly deps: LifecycleDeps) {}

  get serving(): boolean {
    return this.state === 'serving';
  }

  /**
   * Called by the idle timer. Re-checks idleness and stops accepting in this same tick, so no connection can be
   * accepted in between; connections arriving from now on wait in the kernel queue for the next instance.
   */
  idleExit(): void {
    if (this.state !== 'serving' || !this.deps.tracker.isIdle()) return;
    this.stopAccepting();
    this.deps.logger.info('idle timeout reached with no open connection; exiting (the socket stays with its owner)');
    void this.close().then(() => this.finish(0));
  }

  /** SIGTERM/SIGINT: the first drains and exits 0; a second one exits at once. */
  signal(sig: NodeJS.Signals): void {
    if (this.state === 'serving') {
      this.deps.logger.info(
        `${sig} received; finishing ${this.deps.tracker.inFlight} request(s) in flight, then exiting`,
      );
      void this.close().then(() => this.finish(0));
      return;
    }
    this.deps.logger.warn(`${sig} received again; exiting now`);
    this.killChildren();
    void flushLogger(this.deps.logger, URGENT_FLUSH_MS, this.deps.clock).then(() => this.deps.exit(0));
  }

  /** An uncaught exception: log it, stop children, exit 1 (without waiting for requests: state is unknown). */
  async crash(err: unknown): Promise<void> {
    this.state = 'stopped';
    for (const server of this.deps.servers) stopAccepting(server);
    this.deps.logger.error(
      `uncaught exception, exiting: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    await this.stopChildren();
    await this.finish(1);
  }

  /** Stops accepting, drains connections within the shutdown deadline, then stops owned children. */
  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  private stopAccepting(): void {
    this.state = 'stopping';
    for (const server of this.deps.servers) stopAccepting(server);
  }

  private async drain(): Promise<void> {
    this.stopAccepting();
    const {
      clock,
      tracker,
      budget: { drainMs },
    } = this.deps;
    let timer: unknown;
    const deadline = new Promise<boolean>((resolve) => {
      timer = clock.setTimeout(() => resolve(true), drainMs);
    });
    const late = await Promise.race([tracker.drain().then(() => false), deadline]);
    clock.clearTimeout(timer);
    if (late) {
      this.deps.logger.warn(`shutdown deadline (${drainMs} ms) passed; closing ${tracker.connections} connection(s)`);
      tracker.destroyAll();
    }
    await this.stopChildren();
    this.state = 'stopped';
  }

  /** The child-grace phase: owned children and descendants get SIGTERM, then SIGKILL once the grace has passed. */
  private async stopChildren(): Promise<void> {
    const { children, tree, budget, clock } = this.deps;
    const [, stubborn] = await Promise.all([
      children.terminateAll(budget.childGraceMs, clock),
      tree?.stop(budget.childGraceMs, clock),
    ]);
    if (stubborn?.length)
      this.deps.logger.warn(
        `SIGKILLed ${stubborn.length} descendant(s) still running after the child grace: ${stubborn.join(', ')}`,
      );
  }

  /** SIGKILL to owned children and every descendant, synchronously. */
  private killChildren(): void {
    this.deps.children.killAll();
    this.deps.tree?.killAll();
  }

  private async finish(code: number): Promise<void> {
    await flushLogger(this.deps.logger, this.deps.budget.logFlushMs, this.deps.clock);
    this.removeProcessHandlers();
    this.deps.exit(code);
  }

  installProcessHandlers(signals: boolean, crashes: boolean): void {
    if (signals) {
      process.on('SIGTERM', this.onSignal);
      process.on('SIGINT', this.onSignal);
    }
    if (crashes) process.on('uncaughtException', this.onCrash);
    process.on('exit', this.onExit);
  }

  removeProcessHandlers(): void {
    process.off('SIGTERM', this.onSignal);
    process.off('SIGINT', this.onSignal);
    process.off('uncaughtException', this.onCrash);
    process.off('exit', this.onExit);
  }
}
