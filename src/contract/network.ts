// Where the worker listens by default, its /health route and answer, and the socket-activation variable names.
import type { ActivationKind } from '../activation/types.js';

export const DEFAULT_PORT = 37777;
export const DEFAULT_HOST = '127.0.0.1';

/** The worker's own liveness route, answered before any --app route. */
export const HEALTH_PATH = '/health';

/** The body of a healthy GET /health answer (200, application/json). */
export interface HealthBody {
  status: 'ok';
  name: string;
  pid: number;
  activation: ActivationKind;
  uptimeMs: number;
  version: string;
  requests: number;
}

/** The fields a healthy /health body carries, in order. */
export const HEALTH_FIELDS = ['status', 'name', 'pid', 'activation', 'uptimeMs', 'version', 'requests'] as const;

/** The socket-activation protocol's variables (sd_listen_fds(3)). */
export const LISTEN_PID = 'LISTEN_PID';
export const LISTEN_FDS = 'LISTEN_FDS';
export const LISTEN_FDNAMES = 'LISTEN_FDNAMES';
/** The first inherited fd (SD_LISTEN_FDS_START). */
export const LISTEN_FDS_START = 3;
/** Marks a LISTEN_* handoff from a plain process (not an init system). */
export const ACTIVATION_MARKER = 'INITSOCK_ACTIVATION';

/** GET or HEAD of the health route, any query string: the request the worker answers itself, open without a token. */
export function isHealthRequest(method: string | undefined, url: string | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && (url ?? '').split('?')[0] === HEALTH_PATH;
}
