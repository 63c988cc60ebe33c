// A probe run inside the systemd box (its own loopback): N concurrent GET /health, printed as JSON. Usage: probe.js PORT [N].
import { pidOf, timedGet } from './net.js';
import { mainThreadCpuMs } from './procs.js';

export interface ProbeResult {
  ms?: number;
  status?: number;
  pid?: number | null;
  /** CPU ms of the answering worker's main thread, read right after its first answer (single probes only). */
  cpuMs?: number | null;
  error?: string;
}

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const n = Number(process.argv[3] ?? '1');
  const all = await Promise.allSettled(Array.from({ length: n }, () => timedGet(port, '/health', 60_000)));
  const out: ProbeResult[] = all.map((s) =>
    s.status === 'fulfilled'
      ? { ms: Number(s.value.ms.toFixed(2)), status: s.value.status, pid: pidOf(s.value.body) }
      : { error: String((s.reason as Error)?.message ?? s.reason) },
  );
  const first = out[0];
  if (n === 1 && first?.pid) first.cpuMs = mainThreadCpuMs(first.pid);
  process.stdout.write(JSON.stringify(out));
}

void main();
