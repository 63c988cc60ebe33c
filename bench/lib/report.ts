// Turns the cold-start figures in the results into the SVG chart.
import { coldStartSvg, type Bar } from './chart.js';
import type { Results } from './results.js';
import type { ColdStartData } from '../suites/cold-start.js';

/** The cold-start chart, or null when the cold-start suite did not run. */
export function chartFor(results: Results): string | null {
  const cold = results.suites['cold-start']?.data as ColdStartData | undefined;
  if (!cold?.variants?.length) return null;
  const bars: Bar[] = cold.variants.map((v) => ({
    label: v.label,
    ms: v.ms,
    note: v.id === 'bare' ? 'floor' : `${v.vsFloor.median.toFixed(2)}× bare`,
    floor: v.id === 'bare',
  }));
  const m = results.machine;
  const title = `initsock cold start under ${cold.driver} (${cold.rounds} rounds)`;
  const subtitle = `${results.date.slice(0, 10)} · ${m.cpus} × ${m.cpuModel} · Node ${m.node} · ratio = median of per-round ratios`;
  return coldStartSvg(bars, title, subtitle);
}
