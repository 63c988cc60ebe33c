// Builds the per-run contexts (SystemContext, StepContext) and the verify step from the CLI's dependencies.
import { initSystemFor } from '../src/service/detect.js';
import { verifyHealth } from '../src/service/health.js';
import type { InitKind, InitSystem, ServiceConfig, Step, StepContext, SystemContext } from '../src/service/types.js';
import type { CliDeps } from './deps.js';

export function systemContext(deps: CliDeps): SystemContext {
  return { run: deps.run, env: deps.env, uid: deps.uid, home: deps.home, root: deps.root };
}

/** The context steps run with; progress lines go to stderr so stdout stays clean for --json. */
export function stepContext(deps: CliDeps, quiet: boolean): StepContext {
  const ctx: StepContext = { ...systemContext(deps), sleep: deps.sleep, log: (line) => { if (!quiet) deps.err(`  ${line}\n`); } };
  if (deps.signal) {
    ctx.signal = deps.signal;
    ctx.sleep = abortableSleep(deps.sleep, deps.signal);
  }
  return ctx;
}

/** A sleep that rejects once `signal` aborts, so an abandoned retry loop stops instead of probing on in the background. */
function abortableSleep(sleep: (ms: number) => Promise<void>, signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) => new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new Error(`interrupted (${String(signal.reason ?? 'signal')})`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function initFor(kind: InitKind, deps: CliDeps): InitSystem {
  return (deps.initFor ?? initSystemFor)(kind);
}

/** "127.0.0.1:37777" or "[::1]:37777". */
export const hostPort = (cfg: ServiceConfig): string => (cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host) + `:${cfg.port}`;

/** The last step of install and repair: GET /health from the activated worker, retried for a bounded time. */
export function verifyStep(cfg: ServiceConfig): Step {
  return {
    kind: 'action',
    description: `verify: GET http://${hostPort(cfg)}/health answers 200 {"status":"ok"} (up to 40 tries, 250 ms apart)`,
    note: 'the first connection starts the worker through the socket',
    run: async (ctx) => { await verifyHealth(cfg.host, cfg.port, cfg.name, { attempts: 40, delayMs: 250, sleep: ctx.sleep }); },
  };
}
