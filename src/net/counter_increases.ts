import type { PrometheusSeries } from './query_prometheus_range.ts';

export interface CounterIncrease {
  /** UNIX seconds: the step the increase ends at. */
  time: number;
  count: number;
}

/**
 * Per-step increases of one counter series sampled by a range query whose
 * first step is `baselineAt`: a step's increase is its value minus the
 * previous step's; a value that went down is a restart counted from zero;
 * a series absent at the baseline and present later was created inside the
 * range, and counters start at zero (prom-client creates a labelled series
 * on its first increment), so its first value counts whole. PromQL's
 * `increase()` would report 0 for such a series (it needs two samples and
 * never extrapolates below zero): a kid or reason seen for the first time
 * during an incident is exactly what triage must not miss.
 *
 * @example counterIncreases({ labels: {}, points: [[100, 2], [160, 5]] }, 100) // [{ time: 160, count: 3 }]
 */
export function counterIncreases(series: PrometheusSeries, baselineAt: number): CounterIncrease[] {
  const out: CounterIncrease[] = [];
  let previous: number | undefined;
  for (const [time, value] of series.points) {
    if (time <= baselineAt) {
      previous = value;
      continue;
    }
    const increase = previous === undefined || value < previous ? value : value - previous;
    previous = value;
    const count = Math.round(increase);
    if (count > 0) out.push({ time, count });
  }
  return out;
}
