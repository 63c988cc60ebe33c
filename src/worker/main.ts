// The default worker's start-up: options, logger, activation, serve; exit 78 for bad config or no activation.
import { LOG_FLUSH_MS } from '../contract/index.js';
import type { Logger } from '../runtime/logger.js';
import { chooseLogMode, createLogger, flushLogger } from '../runtime/logger.js';
import { adoptUnmanaged } from '../runtime/descendants.js';
import { serve, type ServeHandle } from '../runtime/serve.js';
import { EXIT_CODES, exitCodeFor, isInitsockError } from '../errors.js';
import { parseWorkerOptions, type WorkerOptions } from './options.js';
import { workerHandler } from './handler.js';
import { HELP } from './help.js';
import { readToken } from '../security/token.js';
import { packageVersion } from './health.js';
import { runProxy } from '../proxy/run.js';
import { peerGuard } from '../security/peer-guard.js';

/** The admit option, when there is a check to make. */
const withAdmit = (admit: ReturnType<typeof peerGuard>) => (admit ? { admit } : {});

export const EX_CONFIG = EXIT_CODES['initsock-worker'].usage;

export interface MainDeps {
  argv: string[];
  env: NodeJS.ProcessEnv;
  exit: (code: number) => void;
}

/** Logs `err` and exits 78 (an InitsockError from any copy of initsock: bad config, not activated) or 1 (anything else). */
async function fail(logger: Logger, err: unknown, exit: (code: number) => void): Promise<void> {
  const code = exitCodeFor('initsock-worker', err);
  const detail = isInitsockError(err) ? `${err.code}: ${err.message}` : ((err as Error).stack ?? String(err));
  logger.error(`initsock-worker cannot start: ${detail}`);
  await flushLogger(logger, LOG_FLUSH_MS);
  exit(code);
}

/** Options and logger, or null after answering --help / --version or failing with 78. */
async function configure(deps: MainDeps): Promise<{ options: WorkerOptions; logger: Logger } | null> {
  let options: WorkerOptions;
  try {
    options = parseWorkerOptions(deps.argv, deps.env);
    if (options.help || options.version) {
      process.stdout.write(options.help ? HELP : `${packageVersion()}\n`);
      deps.exit(0);
      return null;
    }
    const logger = createLogger({
      mode: chooseLogMode(deps.env, options.logFile),
      level: options.logLevel,
      ...(options.logFile ? { file: options.logFile } : {}),
      name: options.name,
    });
    return { options, logger };
  } catch (err) {
    await fail(createLogger({ mode: chooseLogMode(deps.env) }), err, deps.exit);
    return null;
  }
}

/** Runs the default worker: configure, then serve /health and the --app module on the activated socket. */
export async function main(deps: MainDeps): Promise<void> {
  const configured = await configure(deps);
  if (!configured) return;
  const { options, logger } = configured;
  if (options.warning) logger.warn(options.warning);
  if (options.proxy) return startProxy(options, logger, deps);
  let handle: ServeHandle | undefined;
  const worker = workerHandler({
    name: options.name,
    ...(options.app ? { app: options.app } : {}),
    activation: () => handle?.activation.kind ?? 'listen',
    requests: () => handle?.stats().requests ?? 0,
    beforeApp: () => adoptUnmanaged(handle?.activation.kind, logger),
    onAppError: (err) => {
      void handle?.close().then(() => fail(logger, err, deps.exit));
    },
  });
  try {
    handle = await serve(worker.listener, {
      token: options.tokenFile ? readToken(options.tokenFile) : null,
      allowedHosts: options.allowHosts,
      allowedOrigins: options.allowOrigins,
      health: false,
      name: options.name,
      argv: deps.argv,
      env: deps.env,
      socketName: options.socketName,
      logger,
      exit: deps.exit,
      idleTimeoutMs: options.idleTimeoutMs,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
      allowOtherUsers: options.allowOtherUsers,
      ...(options.listen ? { listen: options.listen } : {}),
    });
  } catch (err) {
    return fail(logger, err, deps.exit);
  }
  // Load the --app module shortly after start-up, off the path of the first request (a request that needs it loads it at once).
  setTimeout(worker.loadApp, 250).unref();
}

/** Proxy mode (--proxy-port N -- CMD ARG...): the worker owns the socket and streams every connection to CMD. */
async function startProxy(options: WorkerOptions, logger: Logger, deps: MainDeps): Promise<void> {
  try {
    await runProxy({
      proxy: options.proxy!,
      env: deps.env,
      logger,
      exit: deps.exit,
      idleTimeoutMs: options.idleTimeoutMs,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
      socketName: options.socketName,
      ...(options.listen ? { listen: options.listen } : {}),
      guard: options.allowWebPages ? false : { allowedHosts: options.allowHosts, allowedOrigins: options.allowOrigins },
      ...(options.allowOtherUsers ? {} : withAdmit(peerGuard({ logger }))),
    });
  } catch (err) {
    await fail(logger, err, deps.exit);
  }
}
