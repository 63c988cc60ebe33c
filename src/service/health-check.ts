// What a healthy answer is: the route (--health-path) and the HTTP statuses accepted (--health-status), parsed and shown.
import { HEALTH_PATH } from '../contract/index.js';
import {
  DEFAULT_HEALTH_PATH,
  DEFAULT_HEALTH_STATUS,
  parseRoutePath,
  parseStatusList,
  statusMatches,
} from '../contract/proxy.js';

/** The defaults a program's check shares with the proxy's wait for its child: the worker's own route, any 2xx. */
export { DEFAULT_HEALTH_PATH, DEFAULT_HEALTH_STATUS };

/** Inclusive ranges of accepted HTTP statuses. */
export type StatusRanges = Array<[number, number]>;

export interface HealthCheck {
  /** The request path, starting with "/" (a query is allowed). */
  path: string;
  /** The statuses that count as healthy. */
  statuses: StatusRanges;
  /** True for initsock's own worker: the body must also be JSON {"status":"ok"}. */
  initsockBody: boolean;
}

/** --health-path: a request path starting with "/" (the proxy's --proxy-health grammar, one home in the contract). */
export const parseHealthPath = (value: string): string => parseRoutePath(value, '--health-path');

/** --health-status: "200", "200,204", "200-299,304" (the proxy's --proxy-health-status grammar). */
export const parseHealthStatus = (value: string): StatusRanges => parseStatusList(value, '--health-status');

/** The ranges as the flag spells them ("200-299,304"); parseHealthStatus reads it back to the same ranges. */
export function formatHealthStatus(ranges: StatusRanges): string {
  return ranges.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(',');
}

export const statusAccepted = (check: HealthCheck, status: number): boolean => statusMatches(status, check.statuses);

/** initsock's worker: GET /health → 200 {"status":"ok"}. */
export const WORKER_HEALTH: HealthCheck = { path: HEALTH_PATH, statuses: [[200, 200]], initsockBody: true };

/** A program's check from the flags (each optional): its path, default /health, and its statuses, default 2xx. */
export function programHealth(path?: string, status?: string): HealthCheck {
  return {
    path: parseHealthPath(path ?? DEFAULT_HEALTH_PATH),
    statuses: parseHealthStatus(status ?? DEFAULT_HEALTH_STATUS),
    initsockBody: false,
  };
}

/** The healthy answer in words: '200 {"status":"ok"}' or 'HTTP 2xx'. */
export const healthAnswer = (check: HealthCheck): string =>
  check.initsockBody ? '200 {"status":"ok"}' : `HTTP ${formatHealthStatus(check.statuses).replace(/^200-299$/, '2xx')}`;

/** 'GET http://127.0.0.1:8000/api/health answers HTTP 2xx', for plans and messages. */
export function describeHealth(check: HealthCheck, at: string): string {
  return `GET http://${at}${check.path} answers ${healthAnswer(check)}`;
}
