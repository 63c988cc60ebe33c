// Per-connection cost of the accept-time owner lookup: netlink sock_diag against a /proc/net/tcp scan, small and large socket tables.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { fmtRatio } from '../lib/format.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { pairedRatio, percentile, summarize } from '../lib/stats.js';
import { diagLookup, openSockDiag } from '../../src/security/sock-diag.js';
import { peerRowFromProc } from '../../src/security/peer-owner.js';

/** Holds `pairs` open loopback connections (2 sockets each) so the kernel's tables are that much larger. */
async function ballast(pairs: number): Promise<{ close: () => void }> {
  const server: Server = createServer();
  const accepted: Socket[] = [];
  server.on('connection', (s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const clients: Socket[] = [];
  for (let i = 0; i < pairs; i += 1) {
    const c = connect(port, '127.0.0.1');
    clients.push(c);
    if (i % 100 === 99) await once(c, 'connect'); // bounded: at most 100 connects in flight
  }
  while (accepted.length < pairs) await once(server, 'connection');
  return {
    close: () => {
      for (const s of [...clients, ...accepted]) s.destroy();
      server.close();
    },
  };
}

/** `n` fresh connections; for each accepted one, one sock_diag lookup and one /proc scan (order alternating), in ms. */
async function sample(n: number): Promise<{ diag: number[]; proc: number[] }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const out = { diag: [] as number[], proc: [] as number[] };
  const time = (fn: () => unknown): number => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  for (let i = 0; i < n; i += 1) {
    const client = connect(port, '127.0.0.1');
    const [s] = (await once(server, 'connection')) as [Socket];
    const diag = () =>
      diagLookup({ address: s.remoteAddress!, port: s.remotePort! }, { address: s.localAddress!, port: s.localPort! });
    const proc = () => peerRowFromProc(s);
    if (i % 2 === 0) {
      out.diag.push(time(diag));
      out.proc.push(time(proc));
    } else {
      out.proc.push(time(proc));
      out.diag.push(time(diag));
    }
    client.destroy();
    s.destroy();
  }
  server.close();
  return out;
}

/** How many TCP sockets the kernel lists (/proc/net/tcp and tcp6, header lines left out). */
function tcpSockets(): number {
  return ['/proc/net/tcp', '/proc/net/tcp6'].reduce(
    (n, f) => n + readFileSync(f, 'utf8').trim().split('\n').length - 1,
    0,
  );
}

/** Lookups per table size; the large table is about `large` extra sockets. */
export async function peerOwner(lookups: number, large = 3000): Promise<SuiteResult> {
  if (process.platform !== 'linux' || !openSockDiag())
    return { data: {}, rows: [], skipped: 'needs Linux and netlink sock_diag' };
  const data: Record<string, unknown> = { lookups };
  const rows: Row[] = [];
  for (const [label, pairs] of [
    ['small table', 0],
    [`+${large} sockets`, large / 2],
  ] as const) {
    const extra = await ballast(pairs);
    try {
      const { diag, proc } = await sample(lookups);
      const f = {
        diagP50: percentile(diag, 50),
        diagP99: percentile(diag, 99),
        procP50: percentile(proc, 50),
        procP99: percentile(proc, 99),
        ratio: pairedRatio(diag, proc),
        diag: summarize(diag, 3),
        proc: summarize(proc, 3),
        sockets: tcpSockets(),
      };
      data[label] = f;
      rows.push({
        figure: `owner lookup per connection, ${label} (${f.sockets} sockets): sock_diag p50 / p99`,
        value: `${f.diagP50.toFixed(3)} / ${f.diagP99.toFixed(3)} ms`,
      });
      rows.push({
        figure: `owner lookup per connection, ${label}: /proc scan p50 / p99`,
        value: `${f.procP50.toFixed(3)} / ${f.procP99.toFixed(3)} ms`,
      });
      rows.push({
        figure: `owner lookup, ${label}: sock_diag ÷ /proc scan`,
        value: fmtRatio(f.ratio),
        target: '≤ 0.1×',
        met: f.ratio.median <= 0.1,
      });
    } finally {
      extra.close();
    }
  }
  return { data, rows };
}
