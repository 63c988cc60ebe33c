// The shape of bench/results.json, the machine it was measured on, and the writer.
import { cpus, freemem, release, totalmem, type as osType } from 'node:os';
import { writeFileSync } from 'node:fs';

/** One line of the summary table: a figure, its value as text, and the target it is held to (if any). */
export interface Row {
  figure: string;
  value: string;
  target?: string;
  /** Whether the target is met; absent when there is no target. */
  met?: boolean;
}

/** What one suite hands back: its raw figures for the JSON, and its lines for the summary table. */
export interface SuiteResult {
  data: Record<string, unknown>;
  rows: Row[];
  /** Set when the suite could not run here; the reason is printed and recorded. */
  skipped?: string;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  os: string;
  kernel: string;
  node: string;
  uid: number;
}

/** The machine the figures were measured on. */
export function describeMachine(): Machine {
  const list = cpus();
  const gib = (b: number): number => Number((b / 2 ** 30).toFixed(1));
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: gib(totalmem()),
    freeMemoryGiB: gib(freemem()),
    os: osType(),
    kernel: release(),
    node: process.version,
    uid: process.getuid?.() ?? -1,
  };
}

export interface Results {
  date: string;
  machine: Machine;
  /** What the fast worker entry did when the run took its snapshot of dist/ ("bundle" = it ran the bundle). */
  fastEntry?: string;
  /** Variables removed from the bench's environment before anything ran (bench/lib/clean-env.ts). */
  removedFromEnvironment?: string[];
  durationS: number;
  /** Set when `--only` re-measured some suites and kept the others' figures from the last full run. */
  remeasured?: { suites: string[]; date: string };
  suites: Record<string, SuiteResult>;
}

/** Writes `results` as pretty JSON (stable key order as built). */
export function writeResults(path: string, results: Results): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
