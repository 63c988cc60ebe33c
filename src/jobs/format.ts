// The table `initsock job list` prints: one line per key.
import type { JobInfo } from './control.js';

function last(j: JobInfo): string {
  const r = j.last;
  if (!r) return '-';
  const how = r.exitCode !== null ? `exit ${r.exitCode}` : `signal ${r.signal}`;
  return r.reason === 'exited' ? `${how} at ${r.endedAt}` : `${how} (${r.reason}) at ${r.endedAt}`;
}

/** KEY STATE PID STARTED PENDING RUNS LAST, columns padded; the key is JSON-quoted when it holds spaces or controls. */
export function formatJobs(jobs: JobInfo[], dir: string): string {
  if (jobs.length === 0) return `no jobs yet (state folder: ${dir})\n`;
  const rows = [
    ['KEY', 'STATE', 'PID', 'STARTED', 'PENDING', 'RUNS', 'LAST'],
    ...jobs.map((j) => [
      /^[\x21-\x7e]+$/.test(j.key) ? j.key : JSON.stringify(j.key),
      j.state,
      j.pid === undefined ? '-' : String(j.pid),
      j.startedAt ?? '-',
      j.pending ? 'yes' : 'no',
      String(j.runs),
      last(j),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return (
    rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n'
  );
}
