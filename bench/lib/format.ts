// Text for figures: "median (min–max)" for summaries, and the summary table as Markdown and for the terminal.
import type { Row } from './results.js';
import type { Summary } from './stats.js';

/** "12.3 ms (10.1–15.0)": a summary with its unit. */
export function fmt(s: Summary, unit = '', digits = 1): string {
  const n = (x: number): string => x.toFixed(digits);
  const u = unit ? ` ${unit}` : '';
  return `${n(s.median)}${u} (${n(s.min)}–${n(s.max)})`;
}

/** "1.23× (1.10–1.40)": a ratio summary. */
export function fmtRatio(s: Summary): string {
  return `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
}

function mark(row: Row): string {
  if (row.met === undefined) return '';
  return row.met ? 'yes' : '**no**';
}

/** The summary table in Markdown, one row per figure, grouped by suite. */
export function markdownTable(groups: Array<[string, Row[]]>): string {
  const lines = ['| Suite | Figure | Median (min–max) | Target | Met |', '|---|---|---|---|---|'];
  for (const [suite, rows] of groups) {
    for (const r of rows) lines.push(`| ${suite} | ${r.figure} | ${r.value} | ${r.target ?? ''} | ${mark(r)} |`);
  }
  return lines.join('\n');
}

/** The same table for the terminal, with aligned columns. */
export function terminalTable(groups: Array<[string, Row[]]>): string {
  const rows = groups.flatMap(([suite, rs]) =>
    rs.map((r) => [suite, r.figure, r.value, r.target ?? '', mark(r).replace(/\*/g, '')]),
  );
  const head = ['suite', 'figure', 'median (min–max)', 'target', 'met'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
