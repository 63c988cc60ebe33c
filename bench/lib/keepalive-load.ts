// Run inside the box: clients loop GET /health until a stop file appears, each of three kinds, and print the counts.
//   node keepalive-load.js PORT CLIENTS STOPFILE
// kinds: "fresh" (a new connection per request), "keepalive" (one reused connection, no retry, as Node's Agent
// does), "keepalive-retry" (the same, sending once more an idempotent request whose reused connection closed before
// any response byte, as initsock's client does).
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';

type Kind = 'fresh' | 'keepalive' | 'keepalive-retry';
interface Counts {
  sent: number;
  ok: number;
  lost: number;
  retried: number;
}

const [port, clients, stopFile] = [Number(process.argv[2]), Number(process.argv[3] ?? '4'), process.argv[4] ?? ''];

/** One GET: 'ok', 'stale' (a reused connection closed before any response byte), or 'lost'. */
function get(agent: Agent | false): Promise<'ok' | 'stale' | 'lost'> {
  return new Promise((resolve) => {
    let reused = false;
    const req = request({ host: '127.0.0.1', port, path: '/health', agent, timeout: 30_000 }, (res) => {
      res
        .resume()
        .on('end', () => resolve(res.statusCode === 200 ? 'ok' : 'lost'))
        .on('error', () => resolve('lost'));
    });
    req.on('socket', (s) => {
      reused = (s as { _reusedByInitsockBench?: boolean })._reusedByInitsockBench === true;
      (s as { _reusedByInitsockBench?: boolean })._reusedByInitsockBench = true;
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve(reused && ['ECONNRESET', 'EPIPE'].includes(err.code ?? '') ? 'stale' : 'lost'),
    );
    req.end();
  });
}

async function client(kind: Kind, counts: Counts): Promise<void> {
  const agent = kind === 'fresh' ? false : new Agent({ keepAlive: true, maxSockets: 1 });
  while (!existsSync(stopFile)) {
    counts.sent += 1;
    let outcome = await get(agent);
    if (outcome === 'stale' && kind === 'keepalive-retry') {
      counts.retried += 1;
      outcome = await get(agent);
    }
    if (outcome === 'ok') counts.ok += 1;
    else counts.lost += 1;
  }
  if (agent) agent.destroy();
}

async function main(): Promise<void> {
  const kinds: Kind[] = ['fresh', 'keepalive', 'keepalive-retry'];
  const counts = Object.fromEntries(kinds.map((k) => [k, { sent: 0, ok: 0, lost: 0, retried: 0 }])) as Record<
    Kind,
    Counts
  >;
  await Promise.all(kinds.flatMap((k) => Array.from({ length: clients }, () => client(k, counts[k]))));
  process.stdout.write(JSON.stringify(counts));
}

void main();
