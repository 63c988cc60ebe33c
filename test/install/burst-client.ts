// Box client: N concurrent GET /health on fresh connections; prints {ok, pids (distinct), errors} as JSON.
import { get } from 'node:http';

const [host = '127.0.0.1', port = '0', count = '200'] = process.argv.slice(2);

function once(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port: Number(port), path: '/health', agent: false, timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => {
        const parsed = JSON.parse(body) as { status?: string; pid?: number };
        if (res.statusCode === 200 && parsed.status === 'ok' && typeof parsed.pid === 'number') resolve(parsed.pid);
        else reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 100)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const results = await Promise.allSettled(Array.from({ length: Number(count) }, once));
const pids = [...new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])))];
const errors = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
process.stdout.write(JSON.stringify({ ok: results.length - errors.length, pids, errors: errors.slice(0, 5) }));
