// Requests lost while the service restarts under load, per kind of client: fresh connections, keep-alive without a
// retry, and keep-alive with the one retry initsock's client makes (a real systemd --user in the box).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installBenchUnits, type BoxLike } from '../lib/box.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { distDir } from '../lib/variants.js';

type Counts = Record<
  'fresh' | 'keepalive' | 'keepalive-retry',
  { sent: number; ok: number; lost: number; retried: number }
>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `restarts` restarts one second apart while 4 clients of each kind send requests back to back. */
export async function keepaliveRestart(box: BoxLike | string, entry: string, restarts: number): Promise<SuiteResult> {
  if (typeof box === 'string') return { data: { skipped: box }, rows: [], skipped: box };
  const name = 'bench-keepalive';
  const port = 43100;
  await installBenchUnits(box, name, port, [process.execPath, entry]);
  const stop = join(box.home, `${name}.stop`);
  const load = box.exec(
    [process.execPath, join(distDir, 'bench', 'lib', 'keepalive-load.js'), String(port), '4', stop],
    { timeoutMs: 120_000 },
  );
  await sleep(1000);
  for (let i = 0; i < restarts; i += 1) {
    await box.systemctlUser('restart', `${name}.service`);
    await sleep(1000);
  }
  writeFileSync(stop, '');
  const r = await load;
  if (r.code !== 0) throw new Error(`keep-alive load exited ${r.code}: ${r.stderr.trim().slice(-300)}`);
  const counts = JSON.parse(r.stdout) as Counts;
  await box.systemctlUser('stop', `${name}.socket`, `${name}.service`);
  const row = (kind: keyof Counts, target?: string): Row => ({
    figure: `${restarts} restarts under load: ${kind} clients, requests lost`,
    value: `${counts[kind].lost} of ${counts[kind].sent}${counts[kind].retried ? ` (${counts[kind].retried} retried)` : ''}`,
    ...(target ? { target, met: counts[kind].lost === 0 } : {}),
  });
  return {
    data: { restarts, clientsPerKind: 4, counts },
    rows: [row('fresh', '0'), row('keepalive'), row('keepalive-retry', '0')],
  };
}
