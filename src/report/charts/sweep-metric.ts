// Which figure of a sweep point a chart plots: 502s per 5 minutes or a latency percentile.
import type { Figure, RunResult } from '../../experiment/run-experiment.js';

export type SweepMetric = '502/5min' | '5xx/5min' | 'p50' | 'p95' | 'p99';

export const SWEEP_METRICS: readonly SweepMetric[] = ['502/5min', '5xx/5min', 'p50', 'p95', 'p99'];

export function metricFigure(r: RunResult, m: SweepMetric): Figure {
  switch (m) {
    case '502/5min':
      return r.per5min['502']!;
    case '5xx/5min':
      // Every failure status, with its interval over the replications' totals.
      return r.failures.per5min;
    default:
      return r.latencyMs[m];
  }
}

export function metricTitle(m: SweepMetric): string {
  if (m === '502/5min') return '502s per 5 minutes';
  if (m === '5xx/5min') return '5xx per 5 minutes';
  return `${m} latency of 2xx (ms)`;
}

/** An axis or legend title with its unit. */
export function metricAxis(m: SweepMetric): string {
  if (m === '502/5min') return '502s (per 5 minutes)';
  if (m === '5xx/5min') return '5xx responses (per 5 minutes)';
  return `${m} latency of 2xx (ms)`;
}

export function isLatency(m: SweepMetric): boolean {
  return m.startsWith('p');
}
