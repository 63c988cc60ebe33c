// The package's public API: serve() for your own worker, the activation sources, and owned child processes.
export {
  serve,
  type ServeOptions,
  type ServeHandle,
  type ServeStats,
  type RequestGuard,
  type App,
  type Next,
} from './runtime/serve.js';
export { spawnChild, ChildRegistry, ownedChildren } from './runtime/children.js';
export {
  createLogger,
  chooseLogMode,
  flushLogger,
  type Logger,
  type LogMode,
  type LoggerOptions,
} from './runtime/logger.js';
export { listenOnFd, listenOnAddress, stopAccepting } from './runtime/listen.js';
export { systemClock, type Clock } from './runtime/clock.js';
export { detectActivation, type DetectOptions } from './activation/detect.js';
export { parseListenEnv, systemdSource, unsetListenEnv, type ListenEnv } from './activation/systemd.js';
export {
  handoffEnv,
  handoffCommand,
  handoffStdio,
  handoffSource,
  serverFd,
  ACTIVATION_ENV,
  HANDOFF_MARKER,
  type StdioEntry,
} from './activation/handoff.js';
export { launchdSource, type LaunchdSourceOptions } from './activation/launchd.js';
export type { Activation, ActivationKind, ActivationSource, InheritedSocket } from './activation/types.js';
export { InitsockError, isInitsockError, type ErrorCode } from './errors.js';
export { createRequestGuard, createUpgradeGuard, type RequestGuardOptions } from './security/request-guard.js';
export { readToken, ensureToken, tokenPath } from './security/token.js';
export { isLoopbackHost, validateListenHost } from './security/host.js';
