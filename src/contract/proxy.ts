// The proxy mode's interface, shared by the worker and install-service: flag names, their INITSOCK_* variables, defaults, grammars.
import { InitsockError } from '../errors.js';
import { parseDuration } from '../util/duration.js';
import { HEALTH_PATH } from './network.js';

/**
 * The worker runs in proxy mode when given `--proxy-port N -- CMD ARG...`: it owns the inherited socket, starts
 * `CMD ARG...` as its own child (which must listen on 127.0.0.1:N), waits for the child's health route, then streams
 * every connection to it. Each flag may instead come from its variable (the flag wins); CMD always comes after `--`.
 */
export const PROXY_OPTION_ENV = {
  'proxy-port': 'INITSOCK_PROXY_PORT',
  'proxy-health': 'INITSOCK_PROXY_HEALTH',
  'proxy-health-status': 'INITSOCK_PROXY_HEALTH_STATUS',
  'proxy-ready-timeout': 'INITSOCK_PROXY_READY_TIMEOUT',
  'proxy-idle-path': 'INITSOCK_PROXY_IDLE_PATH',
} as const;
export type ProxyFlag = keyof typeof PROXY_OPTION_ENV;

/** The route polled until the child is ready (GET on 127.0.0.1:N): the worker's own health route, unless told otherwise. */
export const DEFAULT_HEALTH_PATH = HEALTH_PATH;
/** The statuses that count as healthy. */
export const DEFAULT_HEALTH_STATUS = '200-299';
/** How long the child gets to answer its health route before the worker gives up and exits 1. */
export const DEFAULT_READY_TIMEOUT = '30s';
/** Where the child is reached: loopback only, so the private port is never exposed beyond this machine. */
export const PROXY_UPSTREAM_HOST = '127.0.0.1';
/** Exit code when the child exits on its own (0 included: the init system must restart the service). */
export const CHILD_DIED_EXIT = 1;

export interface ProxyOptions {
  port: number;
  healthPath: string;
  /** Inclusive ranges of healthy statuses. */
  healthStatus: Array<[number, number]>;
  readyTimeoutMs: number;
  /**
   * The child's own idle signal: when the worker has had no connection for the idle timeout, it GETs this route;
   * a healthy status (the --proxy-health-status list) means the child is idle too and the worker exits; anything
   * else (another status, no answer) means it is still working, and the worker asks again after another timeout.
   */
  idlePath?: string;
  command: string;
  args: string[];
}

function bad(message: string): InitsockError {
  return new InitsockError('INVALID_VALUE', message);
}

/** "200", "200,204", "200-299,304": inclusive ranges of HTTP statuses (100-599). */
export function parseStatusList(value: string, what = '--proxy-health-status'): Array<[number, number]> {
  const ranges = value.split(',').map((part) => {
    const m = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(part);
    const lo = Number(m?.[1]);
    const hi = m?.[2] === undefined ? lo : Number(m[2]);
    if (!m || lo < 100 || hi > 599 || lo > hi) {
      throw bad(
        `${what} ${JSON.stringify(value)} is not a list of HTTP statuses. Use codes and ranges like 200, 200,204 or 200-299.`,
      );
    }
    return [lo, hi] as [number, number];
  });
  return ranges;
}

/** True when `status` is in one of the ranges. */
export function statusMatches(status: number, ranges: Array<[number, number]>): boolean {
  return ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

/** An absolute request path without spaces or control characters ("/health", "/api/health?x=1"). */
export function parseRoutePath(value: string, what: string): string {
  if (!/^\/[^\s\x00-\x1f\x7f]*$/.test(value)) {
    throw bad(
      `${what} ${JSON.stringify(value)} is not a request path. Give a path starting with "/", like /health or /api/health.`,
    );
  }
  return value;
}

/** A TCP port 1-65535 for the child. */
export function parseProxyPort(value: string, what = '--proxy-port'): number {
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw bad(`${what} ${JSON.stringify(value)} is not a port. Give the port the program listens on, 1-65535.`);
  return port;
}

/**
 * Builds the proxy options from `get` (flag, else variable) and the command after `--`. Null when no proxy port
 * is given; INVALID_VALUE for bad values, BAD_USAGE for proxy flags without a command or a command without a port.
 */
export function parseProxyOptions(
  get: (flag: ProxyFlag) => string | undefined,
  command: string[],
): ProxyOptions | null {
  const portRaw = get('proxy-port');
  if (portRaw === undefined) {
    const stray = (Object.keys(PROXY_OPTION_ENV) as ProxyFlag[]).find((f) => get(f) !== undefined);
    if (stray || command.length > 0) {
      throw new InitsockError(
        'BAD_USAGE',
        `${stray ? `--${stray}` : `a command (${JSON.stringify(command[0])})`} was given without ` +
          '--proxy-port. To run a program behind the worker, pass --proxy-port N -- CMD ARG... (N is the port CMD listens on).',
      );
    }
    return null;
  }
  const [cmd, ...args] = command;
  if (cmd === undefined || cmd === '') {
    throw new InitsockError(
      'BAD_USAGE',
      '--proxy-port needs the program to run after "--": --proxy-port N -- CMD ARG...',
    );
  }
  const idle = get('proxy-idle-path');
  return {
    port: parseProxyPort(portRaw),
    healthPath: parseRoutePath(get('proxy-health') ?? DEFAULT_HEALTH_PATH, '--proxy-health'),
    healthStatus: parseStatusList(get('proxy-health-status') ?? DEFAULT_HEALTH_STATUS),
    readyTimeoutMs: parseDuration(get('proxy-ready-timeout') ?? DEFAULT_READY_TIMEOUT, '--proxy-ready-timeout'),
    ...(idle !== undefined ? { idlePath: parseRoutePath(idle, '--proxy-idle-path') } : {}),
    command: cmd,
    args,
  };
}
