// Storms and idle exit under the box's real systemd --user: one socket unit, cold before every storm.
import { installBenchUnits, listenOverflows, probe, type BoxLike } from '../lib/box.js';
import { fmt } from '../lib/format.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { percentile, summarize } from '../lib/stats.js';

/** One storm of `n` first connections on the cold socket: answers, errors, p50/p99 and distinct pids. */
async function stormInBox(box: BoxLike, name: string, port: number, n: number) {
  await box.systemctlUser('stop', `${name}.service`);
  const overflowsBefore = await listenOverflows(box);
  const res = await probe(box, port, n);
  const overflows = (await listenOverflows(box)) - overflowsBefore;
  const ok = res.filter((r) => r.status === 200 && r.ms !== undefined);
  const ms = ok.map((r) => r.ms as number);
  return {
    answered: ok.length,
    errors: n - ok.length,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    pids: new Set(ok.map((r) => r.pid)).size,
    overflows,
  };
}

/** How many processes the worker's service has (TasksCurrent of its cgroup): 0 once it exited on idle. */
async function serviceTasks(box: BoxLike, name: string): Promise<{ active: string; tasks: number }> {
  const r = await box.systemctlUser('show', '-p', 'ActiveState', '-p', 'TasksCurrent', `${name}.service`);
  const active = /ActiveState=(\S+)/.exec(r.stdout)?.[1] ?? 'unknown';
  const tasks = Number(/TasksCurrent=(\d+)/.exec(r.stdout)?.[1] ?? Number.NaN);
  return { active, tasks: active === 'inactive' || active === 'failed' ? 0 : Number.isNaN(tasks) ? 1 : tasks };
}

/** `rounds` storms of `n` connections, summarized, and their table rows. */
async function level(
  box: BoxLike,
  name: string,
  port: number,
  n: number,
  rounds: number,
): Promise<[Record<string, unknown>, Row[]]> {
  const runs = [];
  for (let r = 0; r < rounds; r += 1) runs.push(await stormInBox(box, name, port, n));
  const f = {
    n,
    rounds,
    answered: runs.reduce((a, s) => a + s.answered, 0),
    errors: runs.reduce((a, s) => a + s.errors, 0),
    maxPids: Math.max(...runs.map((s) => s.pids)),
    p50: summarize(runs.map((s) => s.p50)),
    p99: summarize(runs.map((s) => s.p99)),
    listenOverflows: runs.map((s) => s.overflows),
  };
  return [
    f,
    [
      {
        figure: `systemd storm ${n}: answered, errors, pids`,
        value: `${f.answered}/${n * rounds}, ${f.errors} errors, ${f.maxPids} pid`,
        target: '0 errors, 1 pid',
        met: f.errors === 0 && f.maxPids === 1,
      },
      { figure: `systemd storm ${n}: p50 / p99 latency`, value: `${fmt(f.p50, 'ms', 0)} / ${fmt(f.p99, 'ms', 0)}` },
      {
        figure: `systemd storm ${n}: listen-queue overflows (SYNs dropped, retried after 1 s)`,
        value: f.listenOverflows.join(', '),
      },
    ],
  ];
}

/** Waits (up to 15 s) for the worker to exit on idle; counts its processes before and after, and checks the socket. */
async function idleExit(box: BoxLike, name: string): Promise<[Record<string, unknown>, Row]> {
  const running = await serviceTasks(box, name);
  const t0 = Date.now();
  let idle = running;
  while (Date.now() - t0 < 15_000 && (idle = await serviceTasks(box, name)).tasks > 0)
    await new Promise((r) => setTimeout(r, 100));
  const socket = (await box.systemctlUser('is-active', `${name}.socket`)).code === 0;
  return [
    { afterStorm: running, afterIdle: idle, socketStillListening: socket },
    {
      figure: 'systemd: worker processes after a storm / after idle exit; socket listening',
      value: `${running.tasks} / ${idle.tasks}; ${socket ? 'yes' : 'no'}`,
      target: '≥ 1 / 0; yes',
      met: running.tasks >= 1 && idle.tasks === 0 && socket,
    },
  ];
}

/** Storms of each size against one socket unit (1 s idle timeout), then the idle exit. */
export async function boxLifecycle(
  box: BoxLike | string,
  entry: string,
  sizes: number[],
  rounds: number,
): Promise<SuiteResult> {
  if (typeof box === 'string') return { data: { skipped: box }, rows: [], skipped: box };
  const name = 'bench-storm';
  const port = 43000;
  await installBenchUnits(box, name, port, [process.execPath, entry], { INITSOCK_IDLE_TIMEOUT: '1s' });
  const data: Record<string, unknown> = { entry, driver: 'systemd --user (isolated box)' };
  const rows: Row[] = [];
  for (const n of sizes) {
    const [f, r] = await level(box, name, port, n, rounds);
    data[`n${n}`] = f;
    rows.push(...r);
  }
  const [idle, row] = await idleExit(box, name);
  data.idleExit = idle;
  rows.push(row);
  return { data, rows };
}
