// Probes the worker's GET /health through the socket, once or with a bounded retry (the installer's verify step).
import { HEALTH_PATH } from '../contract/index.js';
import { request } from 'node:http';
import { InitsockError } from '../errors.js';

/** The body of a healthy /health answer (HealthBody in src/contract/network.ts); other fields are passed through. */
export interface Health {
  status: 'ok';
  name?: string;
  pid?: number;
  activation?: string;
  uptimeMs?: number;
  [key: string]: unknown;
}

/** One GET /health; resolves with the parsed body when it is 200 JSON with status "ok", else rejects with why. */
export function probeHealth(host: string, port: number, timeoutMs = 5000): Promise<Health> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: HEALTH_PATH, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; });
      res.on('error', reject);
      res.on('end', () => {
        let parsed: unknown;
        try { parsed = JSON.parse(body); } catch { return reject(new Error(`HTTP ${res.statusCode}, not JSON: ${body.slice(0, 80)}`)); }
        const ok = res.statusCode === 200 && (parsed as { status?: unknown })?.status === 'ok';
        if (ok) resolve(parsed as Health);
        else reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 120)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export interface VerifyOptions {
  /** Number of attempts (default 20). */
  attempts?: number;
  /** Pause between attempts in ms (default 250). */
  delayMs?: number;
  /** Per-attempt timeout in ms (default 5000): a first start of node can take a few seconds. */
  timeoutMs?: number;
  sleep: (ms: number) => Promise<void>;
}

/** Retries probeHealth until it answers; throws VERIFY_FAILED with the last reason after `attempts`. */
export async function verifyHealth(host: string, port: number, name: string, opts: VerifyOptions): Promise<Health> {
  const attempts = opts.attempts ?? 20;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await probeHealth(host, port, opts.timeoutMs ?? 5000);
    } catch (err) {
      last = err;
      if (i < attempts - 1) await opts.sleep(opts.delayMs ?? 250);
    }
  }
  throw new InitsockError('VERIFY_FAILED',
    `the worker did not answer GET /health on ${host}:${port} after ${attempts} attempts (${(last as Error)?.message}). ` +
    `See its log with \`journalctl --user -u ${name}.service -n 50\` (macOS: ~/Library/Logs/${name}/).`,
    { cause: last, details: { host, port } });
}
