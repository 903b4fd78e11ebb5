// The latency distribution of successful requests per run, as a CDF on a log scale: read from
// each replication's quantile sketch (relative error 1%) at fixed probabilities and averaged
// over replications. Runs side by side show where one fleet's tail leaves another's.
import type { LabelledRun } from './failures-by-cause.js';
import { CONFIG, SCHEMA, finite, type Chart } from './spec.js';

export function latencyCdfChart(runs: readonly LabelledRun[]): Chart {
  const rows = runs.flatMap(({ label, result }) =>
    result.latencyCdf.p.flatMap((p, k) => {
      const ms = result.latencyCdf.ms[k];
      return finite(ms) && ms! > 0 ? [{ run: label, p, ms }] : [];
    }),
  );
  const title = 'Latency distribution of 2xx';
  return {
    id: 'latency-cdf',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: { text: title, subtitle: 'cumulative share of requests against latency (ms, log scale), mean over replications' },
      data: { values: rows },
      width: 520,
      height: 260,
      mark: { type: 'line', point: true, interpolate: 'monotone' },
      encoding: {
        x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms)' },
        y: { field: 'p', type: 'quantitative', scale: { domain: [0, 1] }, title: 'share of requests at or below', axis: { format: '%' } },
        color: { field: 'run', type: 'nominal', title: null, sort: runs.map((r) => r.label) },
      },
    },
  };
}
