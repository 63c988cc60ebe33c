// Summary statistics for benchmark samples: median, min, max, percentiles, and side-by-side ratios.

/** A figure measured several times: its median, min and max, and how many runs it is made of. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** The value at percentile `p` (0-100) of `samples`, by nearest rank; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** The median of `samples` (the mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] as number;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] as number) + hi) / 2;
}

/** Median, min and max of `samples`, rounded to `digits` decimals. */
export function summarize(samples: readonly number[], digits = 2): Summary {
  const round = (x: number): number => Number(x.toFixed(digits));
  return {
    median: round(median(samples)),
    min: round(samples.length ? Math.min(...samples) : Number.NaN),
    max: round(samples.length ? Math.max(...samples) : Number.NaN),
    runs: samples.length,
  };
}

/**
 * Ratios of paired samples measured side by side (round i of `a` against round i of `b`), summarized.
 * Pairing rounds cancels most of a shared machine's drift: both arms of a round see the same load.
 */
export function pairedRatio(a: readonly number[], b: readonly number[], digits = 3): Summary {
  const n = Math.min(a.length, b.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i += 1) ratios.push((a[i] as number) / (b[i] as number));
  return summarize(ratios, digits);
}
