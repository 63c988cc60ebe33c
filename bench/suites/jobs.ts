// Suite: keyed jobs. Trigger latency (call to return) of `initsock job run` against `flock -n` and `systemd-run --unit`,
// with no run active and with one active, and how many runs two waves of 10 simultaneous triggers produce.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../src/exec/runner.js';
import type { BoxLike } from '../lib/box.js';
import { fmt, fmtRatio } from '../lib/format.js';
import { triggerArgv, type ArmId, type ArmSpec } from '../lib/job-arms.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { pairedRatio, summarize, type Summary } from '../lib/stats.js';
import { distDir, initsockCli, workDir } from '../lib/variants.js';

const armsScript = join(distDir, 'bench', 'lib', 'job-arms.js');

/** Where the arms run: this machine (no init system) or the box (systemd --user). */
interface Place {
  id: 'no-init' | 'systemd';
  label: string;
  arms: ArmId[];
  dir: string;
  /** Runs job-arms.js with `input` there and parses its JSON output. */
  exec(input: unknown): Promise<unknown>;
}

function hostPlace(): Place {
  const dir = join(workDir, 'jobs-host');
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, INITSOCK_JOB_MODE: 'process', INITSOCK_JOBS_DIR: join(dir, 'state') };
  return {
    id: 'no-init',
    label: 'no init system',
    arms: ['initsock', 'flock'],
    dir,
    exec: async (input) =>
      parse(await runCommand([process.execPath, armsScript, JSON.stringify(input)], { env, timeoutMs: 300_000 })),
  };
}

function boxPlace(box: BoxLike): Place {
  const dir = join(workDir, 'jobs-box');
  mkdirSync(dir, { recursive: true });
  return {
    id: 'systemd',
    label: 'systemd --user (box)',
    arms: ['initsock', 'flock', 'systemd-run'],
    dir,
    exec: async (input) =>
      parse(
        await box.exec([process.execPath, armsScript, JSON.stringify(input)], { env: box.userEnv, timeoutMs: 300_000 }),
      ),
  };
}

function parse(r: { code: number; stdout: string; stderr: string }): unknown {
  if (r.code !== 0) throw new Error(`job-arms exited ${r.code}: ${r.stderr.slice(-400)}`);
  return JSON.parse(r.stdout);
}

const spec = (p: Place, arm: ArmId): ArmSpec => ({ arm, cli: initsockCli, dir: p.dir });

/** Per arm: ms of a trigger with nothing running (idle) and with a run of the same name active (busy). */
async function latencies(
  p: Place,
  rounds: number,
): Promise<{ arms: Record<string, { idle: number[]; busy: number[] }>; floor: number[]; bin: number[] }> {
  const stopFile = join(p.dir, 'stop-busy');
  const busyJob = ['sh', '-c', `while [ ! -e '${stopFile}' ]; do sleep 0.1; done`];
  await p.exec({ calls: p.arms.map((a) => triggerArgv(spec(p, a), 'busy', busyJob)) });
  const out = Object.fromEntries(p.arms.map((a) => [a, { idle: [] as number[], busy: [] as number[] }]));
  // `node -e 0`: the start-up every Node hook pays; `initsock --help`: the bin's own start-up, before any job logic.
  const floor: number[] = [];
  const bin: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const order = p.arms.map((_, i) => p.arms[(i + r) % p.arms.length] as ArmId); // rotate who goes first
    const calls = order.flatMap((a) => [
      triggerArgv(spec(p, a), `idle-${r}`, ['true']),
      triggerArgv(spec(p, a), 'busy', busyJob),
    ]);
    const times = (await p.exec({
      calls: [...calls, [process.execPath, '-e', '0'], [process.execPath, initsockCli, '--help']],
    })) as Array<{ ms: number }>;
    order.forEach((a, i) => {
      out[a]!.idle.push(times[2 * i]!.ms);
      out[a]!.busy.push(times[2 * i + 1]!.ms);
    });
    floor.push(times[calls.length]!.ms);
    bin.push(times[calls.length + 1]!.ms);
  }
  writeFileSync(stopFile, '');
  return { arms: out, floor, bin };
}

async function place(p: Place, rounds: number): Promise<{ data: Record<string, unknown>; rows: Row[] }> {
  const { arms: lat, floor, bin } = await latencies(p, rounds);
  const waves: Record<string, unknown> = {};
  for (const arm of p.arms)
    waves[arm] = await p.exec({ waves: { ...spec(p, arm), size: 10, gapMs: 1500, jobMs: 3000 } });
  const sum = (a: ArmId, k: 'idle' | 'busy'): Summary => summarize(lat[a]![k], 1);
  const rows: Row[] = [
    {
      figure: `start-up floors: node -e 0; initsock --help (the bin, no job logic), ${p.label}`,
      value: `${fmt(summarize(floor, 1), 'ms')}; ${fmt(summarize(bin, 1), 'ms')}`,
    },
  ];
  for (const k of ['idle', 'busy'] as const) {
    const others = p.arms.filter((a) => a !== 'initsock');
    const vs = others
      .map((a) => `${a} ${fmt(sum(a, k), 'ms')} (initsock ${fmtRatio(pairedRatio(lat.initsock![k], lat[a]![k]))})`)
      .join('; ');
    rows.push({
      figure: `trigger call → return, ${k === 'idle' ? 'nothing running' : 'a run active'}, ${p.label}`,
      value: `initsock ${fmt(sum('initsock', k), 'ms')}; ${vs}`,
    });
  }
  const runs = (a: ArmId) => (waves[a] as { runs: number }).runs;
  rows.push({
    figure: `runs from 2 waves of 10 triggers 1.5 s apart, 3 s job, ${p.label}`,
    value: p.arms.map((a) => `${a} ${runs(a)}`).join(', '),
    target: 'initsock 2 (one follow-up)',
    met: runs('initsock') === 2,
  });
  const latencyMs = Object.fromEntries(p.arms.map((a) => [a, { idle: sum(a, 'idle'), busy: sum(a, 'busy') }]));
  return {
    data: { rounds, latencyMs, nodeFloorMs: summarize(floor, 1), initsockHelpMs: summarize(bin, 1), waves },
    rows,
  };
}

/** The suite: this machine without an init system, then the box's systemd --user when it boots. */
export async function jobs(box: BoxLike | string, rounds: number): Promise<SuiteResult> {
  const host = await place(hostPlace(), rounds);
  if (typeof box === 'string') return { data: { 'no-init': host.data, systemd: { skipped: box } }, rows: host.rows };
  const sd = await place(boxPlace(box), rounds);
  return { data: { 'no-init': host.data, systemd: sd.data }, rows: [...host.rows, ...sd.rows] };
}
