// Job scenarios shared by the no-init-system tests and the systemd box tests: the driver says how to call the CLI.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from '../../src/exec/runner.js';
import { fixturesDir } from '../helpers/paths.js';
import { pollUntil } from '../integration/box/wait.js';

export const gatedJob = join(fixturesDir, 'jobs', 'gated-job.sh');
export const stubbornJob = join(fixturesDir, 'jobs', 'stubborn-job.sh');

export interface JobDriver {
  /** Runs `initsock job ARGS` (the packaged fast bin) and resolves when it exits, with the time it returned. */
  job(args: string[]): Promise<CommandResult & { returnedAt: number }>;
  /** A folder the jobs and the test both see. */
  dir: string;
}

export interface Stamp {
  what: 'start' | 'end';
  run: number;
  ns: bigint;
}

export function stamps(dir: string): Stamp[] {
  const path = join(dir, 'stamps');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [what, run, ns] = line.split(' ');
      return { what: what as Stamp['what'], run: Number(run), ns: BigInt(ns ?? '0') };
    });
}

/** Waits until the gated job has stamped `what` for run `run`. */
export function stamped(dir: string, what: Stamp['what'], run: number): Promise<true> {
  return pollUntil(
    `the job to stamp ${what} ${run}`,
    () => (stamps(dir).some((s) => s.what === what && s.run === run) ? true : undefined),
    { timeoutMs: 60_000, describe: () => JSON.stringify(stamps(dir).map((s) => `${s.what} ${s.run}`)) },
  );
}

export function release(dir: string, run: number, exitCode = 0): void {
  writeFileSync(join(dir, `exit-${run}`), String(exitCode));
  writeFileSync(join(dir, `release-${run}`), '');
}

export interface JobRow {
  key: string;
  state: string;
  pending: boolean;
  runs: number;
  pid?: number;
  last?: { exitCode: number | null; signal: string | null; reason: string };
}

export async function listJson(d: JobDriver): Promise<JobRow[]> {
  const res = await d.job(['list', '--json']);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout) as JobRow[];
}

/** Waits until `key` is idle with nothing pending (its runner has exited), and returns its row. */
export function settled(d: JobDriver, key: string): Promise<JobRow> {
  return pollUntil(
    `job ${key} to settle`,
    async () => {
      const row = (await listJson(d)).find((j) => j.key === key);
      return row && row.state === 'idle' && !row.pending ? row : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

function wave(d: JobDriver, key: string, size: number) {
  return Promise.all(Array.from({ length: size }, () => d.job(['run', '--key', key, '--', 'sh', gatedJob, d.dir])));
}

/**
 * Two waves of `size` simultaneous triggers, the second while the first run is active: exactly two runs, back to
 * back (the second starts after the first ended, by the job's own stamps), every
 * trigger answered, one "started", one "queued", the rest "already-queued".
 */
export async function twoWaves(d: JobDriver, key: string, size = 10): Promise<void> {
  const first = wave(d, key, size);
  await stamped(d.dir, 'start', 1);
  const answers1 = await first;
  const answers2 = await wave(d, key, size);
  assert.ok(!stamps(d.dir).some((s) => s.run === 2), 'a second run started while the first was active');
  release(d.dir, 1);
  await stamped(d.dir, 'start', 2);
  release(d.dir, 2);
  const row = await settled(d, key);
  const all = [...answers1, ...answers2];
  for (const a of all) assert.equal(a.code, 0, `a trigger failed: ${a.stderr}`);
  const words = all.map((a) => a.stdout.trim());
  assert.equal(words.filter((w) => w === 'started').length, 1, words.join(','));
  assert.equal(words.filter((w) => w === 'queued').length, 1, words.join(','));
  assert.equal(words.filter((w) => w === 'already-queued').length, 2 * size - 2, words.join(','));
  assert.deepEqual(
    stamps(d.dir).map((s) => `${s.what} ${s.run}`),
    ['start 1', 'end 1', 'start 2', 'end 2'],
  );
  const [, end1, start2] = stamps(d.dir);
  assert.ok(start2!.ns >= end1!.ns, 'run 2 started before run 1 ended');
  assert.equal(row.runs, 2);
}

/** Whether `pid` is a live process (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** The pids the stubborn job wrote: its own and its setsid grandchild's. */
export function stubbornPids(dir: string): Promise<{ child: number; grandchild: number }> {
  return pollUntil(
    'the stubborn job and its grandchild',
    () => {
      const path = join(dir, 'pids');
      const lines = existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
      const pid = (who: string) => Number(lines.find((l) => l.startsWith(`${who} `))?.split(' ')[1]);
      const found = { child: pid('child'), grandchild: pid('grandchild') };
      return found.child > 0 && found.grandchild > 0 ? found : undefined;
    },
    { timeoutMs: 30_000 },
  );
}

/**
 * Stop ends a tree that ignores SIGTERM and escaped into a new session, drops the pending follow-up, and list
 * shows the run as stopped. `isAlive` looks the pids up where the job runs.
 */
export async function stopScenario(
  d: JobDriver,
  key: string,
  isAlive: (pid: number) => Promise<boolean>,
): Promise<void> {
  const first = await d.job(['run', '--key', key, '--', 'sh', stubbornJob, d.dir]);
  assert.equal(first.stdout.trim(), 'started', first.stderr);
  const pids = await stubbornPids(d.dir);
  assert.equal((await d.job(['run', '--key', key, '--', 'sh', stubbornJob, d.dir])).stdout.trim(), 'queued');
  const stop = await d.job(['stop', key]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(stop.stdout.trim(), 'stopped (pending follow-up dropped)');
  assert.equal(await isAlive(pids.child), false, 'the job survived stop');
  assert.equal(await isAlive(pids.grandchild), false, 'the setsid grandchild survived stop');
  const row = await settled(d, key);
  assert.equal(row.runs, 1, 'the dropped follow-up ran');
  assert.equal(row.last?.reason, 'stopped');
}
