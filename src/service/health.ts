// Probes the service's health route through the socket once (verify.ts retries it within a budget).
import { request } from 'node:http';
import { WORKER_HEALTH, statusAccepted, type HealthCheck } from './health-check.js';

/** The body of a healthy /health answer (HealthBody in src/contract/network.ts); other fields are passed through. */
export interface Health {
  status: 'ok';
  name?: string;
  pid?: number;
  activation?: string;
  uptimeMs?: number;
  [key: string]: unknown;
}

/** One GET of `check.path`; resolves with the parsed body (for a program: {status: "ok", httpStatus}) when healthy, else rejects with why. */
export function probeHealth(
  host: string,
  port: number,
  timeoutMs = 5000,
  check: HealthCheck = WORKER_HEALTH,
  signal?: AbortSignal,
): Promise<Health> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host, port, path: check.path, method: 'GET', timeout: timeoutMs, agent: false, ...(signal ? { signal } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          body += d;
        });
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve(judge(check, res.statusCode ?? 0, body));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** The answer as a Health, or an Error saying why it is not healthy. */
function judge(check: HealthCheck, status: number, body: string): Health {
  if (!check.initsockBody) {
    if (statusAccepted(check, status)) return { status: 'ok', httpStatus: status };
    throw new Error(`HTTP ${status}: ${body.slice(0, 120)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(`HTTP ${status}, not JSON: ${body.slice(0, 80)}`);
  }
  if (statusAccepted(check, status) && (parsed as { status?: unknown })?.status === 'ok') return parsed as Health;
  throw new Error(`HTTP ${status}: ${body.slice(0, 120)}`);
}
