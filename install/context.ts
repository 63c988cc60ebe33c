// Builds the per-run contexts (SystemContext, StepContext) and the verify step from the CLI's dependencies.
import { initSystemFor } from '../src/service/detect.js';
import { describeHealth, WORKER_HEALTH } from '../src/service/health-check.js';
import type { InitKind, InitSystem, ServiceConfig, Step, StepContext, SystemContext } from '../src/service/types.js';
import { verifyHealth, verifyPromise } from '../src/service/verify.js';
import type { CliDeps } from './deps.js';

export function systemContext(deps: CliDeps): SystemContext {
  return { run: deps.run, env: deps.env, uid: deps.uid, home: deps.home, root: deps.root };
}

/** The context steps run with; progress lines go to stderr so stdout stays clean for --json. */
export function stepContext(deps: CliDeps, quiet: boolean): StepContext {
  const ctx: StepContext = {
    ...systemContext(deps),
    sleep: deps.sleep,
    log: (line) => {
      if (!quiet) deps.err(`  ${line}\n`);
    },
  };
  if (deps.signal) {
    ctx.signal = deps.signal;
    ctx.sleep = abortableSleep(deps.sleep, deps.signal);
  }
  return ctx;
}

/** A sleep that rejects once `signal` aborts, so an abandoned retry loop stops instead of probing on in the background. */
function abortableSleep(sleep: (ms: number) => Promise<void>, signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve, reject) => {
      const onAbort = (): void => reject(new Error(`interrupted (${String(signal.reason ?? 'signal')})`));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      sleep(ms)
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
}

export function initFor(kind: InitKind, deps: CliDeps): InitSystem {
  return (deps.initFor ?? initSystemFor)(kind);
}

/** "127.0.0.1:37777" or "[::1]:37777". */
export const hostPort = (cfg: ServiceConfig): string =>
  (cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host) + `:${cfg.port}`;

/**
 * What verify asks after each failed try, set up before the first: the init system's own watcher (systemd: the
 * service failed, or it exits 0 again and again without taking the socket), else "status says failed".
 */
async function watcher(
  init: InitSystem | undefined,
  cfg: ServiceConfig,
  ctx: StepContext,
): Promise<(() => Promise<string | null>) | undefined> {
  if (init === undefined) return undefined;
  if (init.watchStart) return init.watchStart(cfg, ctx);
  return async () => {
    const st = await init.status(cfg, ctx);
    return st.state === 'failed' ? `${st.reason ?? 'the service failed'}${st.fix ? ` (fix: ${st.fix})` : ''}` : null;
  };
}

/** The last step of install and repair: the health route through the socket, within an announced time, stopping early on failure. */
export function verifyStep(cfg: ServiceConfig, init?: InitSystem): Step {
  const check = cfg.health ?? WORKER_HEALTH;
  return {
    kind: 'action',
    description: `verify: ${describeHealth(check, hostPort(cfg))} (${verifyPromise()}; stops early if the service fails)`,
    note: 'the first connection starts the service through the socket',
    run: async (ctx) => {
      const watch = await watcher(init, cfg, ctx);
      await verifyHealth(cfg.host, cfg.port, init?.words.workerLog(cfg.name) ?? "See the service's log.", {
        check,
        sleep: ctx.sleep,
        log: ctx.log,
        ...(watch ? { watch } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    },
  };
}
