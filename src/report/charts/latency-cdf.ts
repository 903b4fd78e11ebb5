// The latency tail of successful requests per run: latency (ms, log) against the percentile, on
// a log axis of 1 - p, so p99, p99.9 and p99.99 are as far apart as p90 and p99 (a linear CDF
// squeezes the whole tail into its top pixels). Read from each replication's quantile sketch
// (relative error 1%) and averaged over replications; p50, p95 and p99 carry their 95% intervals.
// It answers "how slow is the slowest request in a hundred, a thousand, ten thousand?".
import type { LabelledRun } from './failures-by-cause.js';
import { CONFIG, SCHEMA, chartTitle, finite, type Chart, type Origin } from './spec.js';

/** A percentile with fewer requests beyond it than this (per replication) is drawn hollow: read it as rough. */
const FEW = 10;
const TICKS = [0.5, 0.1, 0.01, 0.001, 0.0001];

export function latencyCdfChart(runs: readonly LabelledRun[], origin: Origin): Chart {
  const rows = runs.flatMap(({ label, result }) =>
    result.latencyCdf.p.flatMap((p, k) => {
      const ms = result.latencyCdf.ms[k];
      if (p < 0.5 || !finite(ms) || ms <= 0) return [];
      const beyond = (result.status['2xx']?.mean ?? 0) * (1 - p);
      return [{ run: label, tail: 1 - p, pct: `p${+(p * 100).toFixed(2)}`, ms, solid: beyond >= FEW ? 'yes' : 'no', beyond }];
    }),
  );
  const bars = runs.flatMap(({ label, result }) =>
    (['p50', 'p95', 'p99'] as const).flatMap((q) => {
      const f = result.latencyMs[q];
      if (!finite(f.mean) || !finite(f.ci95[0]) || !finite(f.ci95[1]) || f.ci95[0] <= 0 || f.ci95[0] === f.ci95[1]) return [];
      return [{ run: label, tail: 1 - Number(q.slice(1)) / 100, lo: f.ci95[0], hi: f.ci95[1] }];
    }),
  );
  const title = 'Latency tail of 2xx: latency (ms) at each percentile';
  // The axis reads p50 … p99.99 on a reversed log scale of 1 - p (the tail to the right).
  const x = {
    field: 'tail',
    type: 'quantitative' as const,
    title: 'percentile (log scale of 1 − p, the tail to the right)',
    scale: { type: 'log' as const, reverse: true, domain: [0.0001, 0.5] },
    axis: { values: TICKS, labelExpr: "'p' + format(100 - datum.value * 100, '.4~f')", grid: true },
  };
  const y = { type: 'quantitative' as const, title: 'latency of 2xx (ms, log scale)', scale: { type: 'log' as const } };
  const colour = { field: 'run', type: 'nominal' as const, title: null, sort: runs.map((r) => r.label), legend: runs.length > 1 ? { labelLimit: 240, orient: 'right' as const } : null };
  return {
    id: 'latency-cdf',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(
        title,
        'How slow is the slowest request in a hundred, a thousand, ten thousand?',
        origin,
        `means over replications; bars: 95% intervals (p50, p95, p99); hollow: fewer than ${FEW} requests beyond that percentile per replication`,
      ),
      width: 560,
      height: 280,
      layer: [
        { data: { values: rows }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { field: 'ms', ...y }, color: colour } },
        ...(bars.length ? [{ data: { values: bars }, mark: { type: 'rule' as const, strokeWidth: 2 }, encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' }, color: colour } }] : []),
        {
          data: { values: rows },
          mark: { type: 'point', size: 40, strokeWidth: 1.5 },
          encoding: {
            x,
            y: { field: 'ms', ...y },
            color: colour,
            fill: { condition: { test: "datum.solid === 'yes'", ...colour }, value: 'white' },
            tooltip: [{ field: 'run' }, { field: 'pct', title: 'percentile' }, { field: 'ms', title: 'ms', format: '.3g' }, { field: 'beyond', title: 'requests beyond, per replication', format: '.3g' }],
          },
        },
      ],
    } as Chart['spec'],
  };
}
