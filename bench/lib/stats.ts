/**
 * Order statistics for bench samples. Percentiles use the nearest-rank method on a sorted
 * copy, so p99 of 200 samples is the 198th value: an observed time, never an interpolation.
 */

/** The figures printed for one series of samples. */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile (p in 0..100) of already sorted values; NaN when empty. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

/** Summarises samples (any order). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

/** Rounds for display: integers stay integers, small values keep two significant decimals. */
export function fmt(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (Math.abs(v) >= 100) return String(Math.round(v));
  return v.toFixed(digits);
}
