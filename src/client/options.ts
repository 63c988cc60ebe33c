// The client's options, their defaults, and their validation (everything is checked before anything is dialled).
import { isIP } from 'node:net';
import {
  DEFAULT_PORT,
  DEFAULT_SERVICE_NAME as DEFAULT_NAME,
  isServiceName,
  SERVICE_NAME_RULE,
} from '../contract/index.js';
import { isAbsolute, resolve } from 'node:path';
import { InitsockError } from '../errors.js';
import { defaultWorkerEntry } from '../paths.js';
import { findInstalledAddress } from '../service/address.js';
import type { InstalledAddress } from '../service/types.js';
import { parseDuration, MAX_TIMER_MS, tooLong } from '../util/duration.js';
import { LOOPBACK } from './claim.js';
import { homeOf, workerLogFile } from './paths.js';

export { DEFAULT_PORT, DEFAULT_SERVICE_NAME as DEFAULT_NAME } from '../contract/index.js';
/** Total time for one request(), including starting a worker and waiting in its queue. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** A worker the fallback starts exits after this long without connections, unless told otherwise. */
export const DEFAULT_FALLBACK_IDLE = '10min';
export const DEFAULT_MAX_ATTEMPTS = 6;

export interface WorkerOptions {
  /** Worker entry script (default: the bundled dist/src/bin/worker.js). */
  entry?: string;
  /** App module for the worker (INITSOCK_APP); relative paths resolve against the current directory. */
  app?: string;
  /** Idle timeout for a fallback worker (INITSOCK_IDLE_TIMEOUT; default: that variable, else 10min). */
  idleTimeout?: string;
}

export interface RequestOptions {
  /** Default: the installed service's port (its unit or plist), else 37777. */
  port?: number | undefined;
  /** Loopback address to dial. Default: the installed service's address, else 127.0.0.1. */
  host?: string | undefined;
  name?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Total timeout in ms (default 10 s). */
  timeoutMs?: number;
  /** Start a worker through fallback activation when nothing listens (default true). */
  fallback?: boolean;
  /** Send the service's token file as a bearer token when it exists (default true). */
  token?: boolean;
  /** How many connections to try before giving up on refused/reset ones (default 6). */
  maxAttempts?: number;
  worker?: WorkerOptions;
  /** Environment for paths (HOME, XDG_*) and the worker's base environment (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Resolved {
  method: string;
  path: string;
  host: string;
  port: number;
  name: string;
  timeoutMs: number;
  fallback: boolean;
  /** Where service `name` is installed to listen, when it is (then host and port default to it). */
  installed: InstalledAddress | null;
  token: boolean;
  maxAttempts: number;
  headers: Record<string, string>;
  body?: Uint8Array;
  env: NodeJS.ProcessEnv;
  logFile: string;
  entry: string;
  workerEnv: Record<string, string>;
}

function usage(message: string): InitsockError {
  return new InitsockError('BAD_USAGE', message);
}

/** Validates the call and fills in defaults. Throws BAD_USAGE / INVALID_VALUE naming the bad option. */
export function resolveOptions(method: string, path: string, o: RequestOptions): Resolved {
  const name = o.name ?? DEFAULT_NAME;
  const env = o.env ?? process.env;
  const installed = isServiceName(name) ? findInstalledAddress(name, { env, home: homeOf(env) }) : null;
  const port = o.port ?? installed?.port ?? DEFAULT_PORT;
  const host = dialHost(o.host ?? installed?.host ?? LOOPBACK);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  validate(method, path, port, name, timeoutMs);
  const body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
  return {
    method: method.toUpperCase(),
    path,
    host,
    port,
    name,
    timeoutMs,
    env,
    body,
    installed,
    fallback: o.fallback ?? true,
    token: o.token ?? true,
    maxAttempts: Math.max(1, o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    headers: { ...o.headers },
    logFile: workerLogFile(name, env),
    entry: absolute(o.worker?.entry ?? defaultWorkerEntry),
    workerEnv: workerSettings(o.worker ?? {}, env),
  };
}

/**
 * The address to dial: a loopback IP literal ("localhost" as 127.0.0.1, "[::1]" as ::1). Another address is refused:
 * the client sends the service's token, which must never leave the machine.
 */
function dialHost(raw: string): string {
  const host = raw.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return LOOPBACK;
  if (isIP(host) === 4 && host.startsWith('127.')) return host;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return '::1';
  throw usage(
    `--host ${JSON.stringify(raw)} is not a loopback address. Pass 127.0.0.1 or ::1 (the client only dials this machine).`,
  );
}

function validate(method: string, path: string, port: number, name: string, timeoutMs: number): void {
  if (!/^[A-Za-z]+$/.test(method))
    throw usage(`method ${JSON.stringify(method)} is not an HTTP method. Use GET, POST, ...`);
  if (!/^\/[\x21-\x7e]*$/.test(path))
    throw usage(`path ${JSON.stringify(path)} must start with "/" and contain no spaces or control characters.`);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw usage(`port ${String(port)} is not a TCP port (1-65535).`);
  if (!isServiceName(name)) {
    throw usage(`name ${JSON.stringify(name)} is not a service name. Use ${SERVICE_NAME_RULE}.`);
  }
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs))
    throw usage(`timeout ${String(timeoutMs)} must be a positive number of ms.`);
  if (timeoutMs > MAX_TIMER_MS) throw tooLong('timeout', timeoutMs);
}

/** INITSOCK_APP (absolute, since the worker runs in the home folder) and INITSOCK_IDLE_TIMEOUT for a fallback worker. */
function workerSettings(w: WorkerOptions, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const app = w.app ?? env.INITSOCK_APP;
  if (app) out.INITSOCK_APP = absolute(app);
  const idle = w.idleTimeout ?? env.INITSOCK_IDLE_TIMEOUT ?? DEFAULT_FALLBACK_IDLE;
  parseDuration(idle, 'idle timeout');
  out.INITSOCK_IDLE_TIMEOUT = idle;
  return out;
}

function absolute(p: string): string {
  return isAbsolute(p) ? p : resolve(p);
}
