// Runs the benchmark suite (`npm run bench`): every suite in turn, then bench/results.json, bench/cold-start.svg and a summary table.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanStartUpEnvironment } from './lib/clean-env.js';
import { chartFor } from './lib/report.js';
import { markdownTable, terminalTable } from './lib/format.js';
import { describeMachine, writeResults, type Results, type SuiteResult } from './lib/results.js';
import { distDir, fastEntryState, prepareFloor, repoRoot, takeSnapshot, workDir } from './lib/variants.js';
import { SharedBox, suites } from './suites/index.js';

/** `--quick` runs fewer rounds (a smoke run); `--only a,b` runs only those suites. Both are for development. */
function parseArgs(argv: string[]): { quick: boolean; only: string[] | null } {
  const at = argv.indexOf('--only');
  return { quick: argv.includes('--quick'), only: at >= 0 ? (argv[at + 1] ?? '').split(',') : null };
}

async function runOne(id: string, run: () => Promise<SuiteResult>): Promise<SuiteResult> {
  const t0 = Date.now();
  try {
    const res = await run();
    if (res.skipped) console.log(`  skipped: ${res.skipped}`);
    console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return res;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    console.log(`  failed: ${why}`);
    return { data: {}, rows: [{ figure: `${id}: failed`, value: why.slice(0, 120) }], skipped: `failed: ${why}` };
  }
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const removed = cleanStartUpEnvironment();
  if (removed.length)
    console.log(
      `Removed ${removed.join(', ')} from the environment: each adds a fixed cost to every Node start (bench/lib/clean-env.ts).`,
    );
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  prepareFloor();
  const state = fastEntryState(join(distDir, 'src', 'bin', 'worker-fast.cjs'));
  if (state !== 'bundle')
    console.log(
      `WARNING: the fast worker entry in dist/ is "${state}" (run npm run build first); measuring it as it is.`,
    );
  takeSnapshot();
  const results: Results = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    fastEntry: state,
    removedFromEnvironment: removed,
    durationS: 0,
    suites: {},
  };
  const box = new SharedBox();
  try {
    for (const suite of suites({ quick }, box)) {
      if (only && !only.includes(suite.id)) continue;
      console.log(`\n== ${suite.id}: ${suite.title}`);
      results.suites[suite.id] = await runOne(suite.id, suite.run);
    }
  } finally {
    await box.stop();
  }
  results.durationS = Math.round((Date.now() - started) / 1000);
  if (only) keepOtherSuites(results, only);
  const groups = Object.entries(results.suites).map(([id, s]): [string, SuiteResult['rows']] => [id, s.rows]);
  const m = results.machine;
  const remeasured = results.remeasured
    ? ` ${results.remeasured.suites.join(', ')} re-measured ${results.remeasured.date.slice(0, 16).replace('T', ' ')} UTC.`
    : '';
  const header = `Measured ${results.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, in ${results.durationS} s.${remeasured}`;
  writeResults(join(repoRoot, 'bench', 'results.json'), results);
  writeFileSync(join(repoRoot, 'bench', 'summary.md'), `${header}\n\n${markdownTable(groups)}\n`);
  const svg = chartFor(results);
  if (svg) writeFileSync(join(repoRoot, 'bench', 'cold-start.svg'), svg);
  console.log(
    `\n${header}\n\n${terminalTable(groups)}\n\nWrote bench/results.json, bench/summary.md${svg ? ', bench/cold-start.svg' : ''}.`,
  );

  rmSync(workDir, { recursive: true, force: true });
}

/** With --only, the suites not run keep their figures (and the date and duration) of the last full bench/results.json. */
function keepOtherSuites(results: Results, only: string[]): void {
  let prev: Results;
  try {
    prev = JSON.parse(readFileSync(join(repoRoot, 'bench', 'results.json'), 'utf8')) as Results;
  } catch {
    return;
  }
  const kept = Object.fromEntries(Object.entries(prev.suites).filter(([id]) => !only.includes(id)));
  if (Object.keys(kept).length === 0) return;
  Object.assign(results, {
    date: prev.date,
    durationS: prev.durationS,
    remeasured: { suites: only, date: new Date().toISOString() },
  });
  results.suites = { ...prev.suites, ...results.suites };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
