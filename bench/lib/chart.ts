// A small self-contained SVG bar chart (median bar, min–max whisker) for the cold-start variants; no chart library.
import type { Summary } from './stats.js';

export interface Bar {
  label: string;
  ms: Summary;
  /** Shown at the end of the bar, e.g. "1.21× bare". */
  note: string;
  /** True for the reference bar (drawn grey). */
  floor?: boolean;
}

const ROW = 34;
const LEFT = 330;
const WIDTH = 900;
const TOP = 62;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick step for an axis up to `max`. */
function tickStep(max: number): number {
  const raw = max / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
}

function axis(scale: (x: number) => number, max: number, bottom: number): string[] {
  const out: string[] = [];
  const step = tickStep(max);
  for (let t = 0; t <= max + 1e-9; t += step) {
    const x = scale(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${bottom}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${x}" y="${bottom + 16}" text-anchor="middle" class="t">${Math.round(t)}</text>`);
  }
  out.push(
    `<text x="${LEFT + (WIDTH - LEFT - 120) / 2}" y="${bottom + 34}" text-anchor="middle" class="t">ms from first connection to first response (median bar, min–max whisker)</text>`,
  );
  return out;
}

function bar(b: Bar, i: number, scale: (x: number) => number): string[] {
  const y = TOP + i * ROW;
  const mid = y + ROW / 2 - 4;
  const w = Math.max(1, scale(b.ms.median) - LEFT).toFixed(1);
  const fill = b.floor ? '#9aa5b1' : '#3b6fb6';
  return [
    `<text x="${LEFT - 8}" y="${mid + 4}" text-anchor="end" class="l">${esc(b.label)}</text>`,
    `<rect x="${LEFT}" y="${y + 4}" width="${w}" height="${ROW - 16}" fill="${fill}" rx="2"/>`,
    `<line x1="${scale(b.ms.min).toFixed(1)}" y1="${mid}" x2="${scale(b.ms.max).toFixed(1)}" y2="${mid}" stroke="#222"/>`,
    `<line x1="${scale(b.ms.min).toFixed(1)}" y1="${mid - 5}" x2="${scale(b.ms.min).toFixed(1)}" y2="${mid + 5}" stroke="#222"/>`,
    `<line x1="${scale(b.ms.max).toFixed(1)}" y1="${mid - 5}" x2="${scale(b.ms.max).toFixed(1)}" y2="${mid + 5}" stroke="#222"/>`,
    `<text x="${(scale(b.ms.max) + 6).toFixed(1)}" y="${mid + 4}" class="n">${esc(`${b.ms.median.toFixed(0)} ms · ${b.note}`)}</text>`,
  ];
}

/** The chart as an SVG document. `title` and two lines of `subtitle` go on top (date, machine, drivers and runs). */
export function coldStartSvg(bars: Bar[], title: string, subtitle: [string, string]): string {
  const max = Math.max(1, ...bars.map((b) => b.ms.max)) * 1.05;
  const scale = (x: number): number => LEFT + (x / max) * (WIDTH - LEFT - 150);
  const bottom = TOP + bars.length * ROW;
  const height = bottom + 44;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif">`,
    '<style>.t{font-size:11px;fill:#555}.l{font-size:12px;fill:#222}.n{font-size:11px;fill:#222}.h{font-size:14px;font-weight:600}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="18" class="h">${esc(title)}</text>`,
    `<text x="12" y="34" class="t">${esc(subtitle[0])}</text>`,
    `<text x="12" y="49" class="t">${esc(subtitle[1])}</text>`,
    ...axis(scale, max, bottom),
    ...bars.flatMap((b, i) => bar(b, i, scale)),
    '</svg>',
    '',
  ].join('\n');
}
