// install's check that a worker given a token enforces it: a protected route without the token is 401, a foreign Host 403.
import { request } from 'node:http';
import { InitsockError } from '../src/errors.js';
import type { ServiceConfig, Step } from '../src/service/types.js';
import { hostPort } from './context.js';

/** A path no app is expected to have: the guard answers before the app, so the app never sees it. */
export const GUARD_PROBE_PATH = '/initsock-guard-check';
/** A Host no worker serves (.invalid is reserved, RFC 6761). */
export const FOREIGN_HOST = 'initsock-guard-check.invalid';

/** One GET on a fresh connection; resolves with the status. */
function probe(
  host: string,
  port: number,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET', headers, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function unguarded(cfg: ServiceConfig, what: string, got: number, want: number): InitsockError {
  return new InitsockError(
    'VERIFY_FAILED',
    `the worker ${cfg.entry} was given the token ${cfg.tokenFile} but does not enforce it: ${what} answered ${got}, not ${want}. ` +
      'Other local users and web pages could call it. Build the worker on serve() from initsock (guarded by default; it reads ' +
      'the --token-file install-service passes), or put createRequestGuard({ port, token }) in front of its routes with the ' +
      'token read from --token-file; or pass --no-token to install it knowingly unprotected.',
    { details: { path: what, status: got, expected: want } },
  );
}

/** Probes both refusals; throws VERIFY_FAILED saying how to enable the guard when either is missing. */
export async function verifyGuard(cfg: ServiceConfig, timeoutMs = 5000): Promise<void> {
  const noToken = await probe(cfg.host, cfg.port, GUARD_PROBE_PATH, {}, timeoutMs);
  if (noToken !== 401) throw unguarded(cfg, `GET ${GUARD_PROBE_PATH} without the token`, noToken, 401);
  const foreign = await probe(cfg.host, cfg.port, '/health', { host: FOREIGN_HOST }, timeoutMs);
  if (foreign !== 403) throw unguarded(cfg, `GET /health with Host: ${FOREIGN_HOST}`, foreign, 403);
}

/** The step install runs after the health check when the service has a token; none without one (--no-token). */
export function guardVerifySteps(cfg: ServiceConfig): Step[] {
  if (cfg.tokenFile === undefined) return [];
  return [
    {
      kind: 'action',
      description: `verify the guard: GET http://${hostPort(cfg)}${GUARD_PROBE_PATH} without the token answers 401, and a foreign Host 403`,
      note: 'a worker that ignores its token would be open to every local user',
      run: async () => {
        await verifyGuard(cfg);
      },
    },
  ];
}
