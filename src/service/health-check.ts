// What a healthy answer is: the route (--health-path) and the HTTP statuses accepted (--health-status), parsed and shown.
import { HEALTH_PATH } from '../contract/index.js';
import { InitsockError } from '../errors.js';

/** A program's health route by default: the one initsock's own worker answers (200 {"status":"ok"}). */
export const DEFAULT_HEALTH_PATH = HEALTH_PATH;
/** What another program's health route may answer by default: any 2xx. */
export const DEFAULT_HEALTH_STATUS = '2xx';

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

function bad(what: string, value: string, next: string): InitsockError {
  return new InitsockError('INVALID_VALUE', `${what} ${JSON.stringify(value)} ${next}`, { details: { option: what, value } });
}

/** --health-path: an absolute request path without spaces, control characters or a fragment. */
export function parseHealthPath(value: string): string {
  if (!/^\/[\x21-\x7e]*$/.test(value) || value.includes('#')) {
    throw bad('--health-path', value, 'is not a request path. Pass the route that answers when the program is ready, starting with "/", like /health or /api/health.');
  }
  return value;
}

/** One item of a status list: 204, 2xx, or 200-299. */
function statusItem(item: string, whole: string): [number, number] {
  const cls = /^([1-5])xx$/i.exec(item);
  if (cls) return [Number(cls[1]) * 100, Number(cls[1]) * 100 + 99];
  const m = /^([1-5]\d\d)(?:-([1-5]\d\d))?$/.exec(item);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || hi < lo) {
    throw bad('--health-status', whole, 'is not a list of HTTP statuses. Pass codes, classes or ranges separated by commas, like 200, 2xx or 200-299,304.');
  }
  return [lo, hi];
}

/** --health-status: "200", "2xx", "200-299,304". */
export function parseHealthStatus(value: string): StatusRanges {
  return value.split(',').map((item) => statusItem(item.trim(), value));
}

/** The ranges as the flag spells them ("200-299,304"); parseHealthStatus reads it back to the same ranges. */
export function formatHealthStatus(ranges: StatusRanges): string {
  return ranges.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(',');
}

export const statusAccepted = (check: HealthCheck, status: number): boolean =>
  check.statuses.some(([lo, hi]) => status >= lo && status <= hi);

/** initsock's worker: GET /health → 200 {"status":"ok"}. */
export const WORKER_HEALTH: HealthCheck = { path: DEFAULT_HEALTH_PATH, statuses: [[200, 200]], initsockBody: true };

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
  (check.initsockBody ? '200 {"status":"ok"}' : `HTTP ${formatHealthStatus(check.statuses).replace(/^200-299$/, '2xx')}`);

/** 'GET http://127.0.0.1:8000/api/health answers HTTP 2xx', for plans and messages. */
export function describeHealth(check: HealthCheck, at: string): string {
  return `GET http://${at}${check.path} answers ${healthAnswer(check)}`;
}
