/** What each figure hands back to the runner (serialised as JSON from its own process). */
import type { Summary } from './stats.js';

/** One measured series: pooled samples of every run, plus the headline statistic per run. */
export interface Series {
  label: string;
  unit: string;
  summary: Summary;
  /** The statistic the goal is about, once per run (shows the spread between runs). */
  perRun?: { stat: 'median' | 'p95' | 'p99' | 'value'; values: number[] };
}

/** A goal and whether the measurement meets it. */
export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean;
}

export interface FigureResult {
  id: number;
  title: string;
  /** How the figure was measured (load shape, sizes, scaling). */
  method: string[];
  series: Series[];
  /** Single values that are not distributions (bytes, counts, ratios). */
  facts: Array<{ label: string; value: string }>;
  goals: GoalCheck[];
  notes: string[];
  seconds: number;
}

/** Builds a Series from per-run sample arrays. */
export function seriesOf(
  label: string,
  unit: string,
  runs: number[][],
  summarize: (s: number[]) => Summary,
  stat: 'median' | 'p95' | 'p99',
): Series {
  return {
    label,
    unit,
    summary: summarize(runs.flat()),
    perRun: { stat, values: runs.map((r) => summarize(r)[stat]) },
  };
}
