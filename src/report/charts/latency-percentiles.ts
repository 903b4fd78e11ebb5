// Latency of successful requests per run: p50, p95, p99 and max, each with its 95% interval
// over replications, on a log scale. (capsim keeps quantile sketches, not every latency, so this
// stands in for a CDF: the percentiles it would show, with their uncertainty.) It answers "how
// sure are these percentiles, and how do the runs compare?".
import { CONFIG, SCHEMA, chartTitle, finite, type Chart, type Origin } from './spec.js';
import type { LabelledRun } from './failures-by-cause.js';

const QUANTILES = ['p50', 'p95', 'p99', 'max'] as const;

export function latencyPercentilesChart(runs: readonly LabelledRun[], origin: Origin): Chart {
  const rows = runs.flatMap(({ label, result }) =>
    QUANTILES.flatMap((q) => {
      const f = result.latencyMs[q];
      if (!finite(f.mean) || f.mean <= 0) return [];
      const lo = finite(f.ci95[0]) && f.ci95[0] > 0 ? f.ci95[0] : f.mean;
      const hi = finite(f.ci95[1]) ? f.ci95[1] : f.mean;
      return [{ run: label, q, mean: f.mean, lo: Math.min(lo, f.mean), hi: Math.max(hi, f.mean) }];
    }),
  );
  const title = 'Latency percentiles of 2xx (ms)';
  const y = { field: 'q', type: 'ordinal' as const, title: null, sort: [...QUANTILES] };
  return {
    id: 'latency-percentiles',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(title, 'How sure are these percentiles, and how do the runs compare?', origin, 'dots: means over replications; whiskers: 95% intervals; log scale'),
      data: { values: rows },
      facet: { row: { field: 'run', type: 'nominal', title: null, sort: runs.map((r) => r.label), header: { labelOrient: 'top', labelAngle: 0, labelAnchor: 'start', labelAlign: 'left', labelLimit: 400, labelFontWeight: 'bold' } } },
      spec: {
        width: 480,
        height: 70,
        layer: [
          { mark: { type: 'rule' }, encoding: { y, x: { field: 'lo', type: 'quantitative', scale: { type: 'log' }, title: 'latency of 2xx (ms, log scale)' }, x2: { field: 'hi' } } },
          { mark: { type: 'point', filled: true, size: 50 }, encoding: { y, x: { field: 'mean', type: 'quantitative', scale: { type: 'log' } }, color: { field: 'q', type: 'nominal', legend: null } } },
        ],
      },
    },
  };
}
