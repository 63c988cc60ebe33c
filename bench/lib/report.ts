// Turns the cold-start figures in the results into the SVG chart: every variant under every driver that ran.
import { coldStartSvg, type Bar } from './chart.js';
import type { Results } from './results.js';
import type { ColdStartData } from '../suites/cold-start.js';

const DRIVERS: Array<[string, string]> = [
  ['cold-start-systemd', 'systemd --user'],
  ['cold-start', 'socket-activate'],
];

/** The cold-start chart, or null when no cold-start suite ran. */
export function chartFor(results: Results): string | null {
  const bars: Bar[] = [];
  const runs: string[] = [];
  for (const [id, short] of DRIVERS) {
    const cold = results.suites[id]?.data as ColdStartData | undefined;
    if (!cold?.variants?.length) continue;
    runs.push(`${cold.driver}: ${cold.rounds} rounds`);
    for (const v of cold.variants) {
      bars.push({
        label: `${v.label.replace(/^initsock, /, '').replace(/ \(floor\)$/, '')} · ${short}`,
        ms: v.ms,
        note: v.id === 'bare' ? 'floor' : `${v.vsFloor.median.toFixed(2)}× bare`,
        floor: v.id === 'bare',
      });
    }
  }
  if (bars.length === 0) return null;
  const m = results.machine;
  const title = 'initsock cold start: first connection → first response, no worker running';
  const machine = `${results.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpus} × ${m.cpuModel} · Linux ${m.kernel} · Node ${m.node}`;
  return coldStartSvg(bars, title, [machine, `${runs.join(' · ')} · “× bare” = median of per-round ratios`]);
}
