// A sweep as points with error bars: a metric's mean and 95% interval at each value actually run
// of the first varied key (an ordinal axis: nothing is drawn between the values, no half
// workers), side by side for each value of the other keys. It answers "which value of KEY keeps
// METRIC down?".
import type { SweepResult } from '../../experiment/sweep.js';
import { CONFIG, SCHEMA, chartTitle, finite, shortKey, type Chart, type Origin } from './spec.js';
import { isLatency, metricAxis, metricFigure, metricTitle, type SweepMetric } from './sweep-metric.js';
import { sweepOrigin } from './sweep-origin.js';

export function sweepLinesChart(r: SweepResult, metric: SweepMetric, origin: Origin = sweepOrigin(r)): Chart {
  const [xKey, ...otherKeys] = r.vary.map((v) => v.path);
  if (!xKey) throw new Error('a sweep chart needs at least one varied key');
  const seriesOf = (point: Record<string, unknown>) => (otherKeys.length === 1 ? String(point[otherKeys[0]!]) : otherKeys.map((k) => `${shortKey(k)}=${String(point[k])}`).join(', ') || 'all');
  const rows = r.points.flatMap((p) => {
    const f = metricFigure(p.result, metric);
    if (!finite(f.mean)) return [];
    const lo = finite(f.ci95[0]) ? Math.max(f.ci95[0], 0) : f.mean;
    const hi = finite(f.ci95[1]) ? f.ci95[1] : f.mean;
    return [{ x: String(p.point[xKey]), series: seriesOf(p.point), mean: f.mean, lo: Math.min(lo, f.mean), hi: Math.max(hi, f.mean) }];
  });
  // The series in the order they were run (the grid's order), not alphabetically.
  const series = [...new Set(r.points.map((p) => seriesOf(p.point)))];
  const xValues = r.vary[0]!.values.map(String);
  const log = isLatency(metric) && rows.length > 0 && rows.every((d) => d.lo > 0);
  const y = { type: 'quantitative' as const, title: metricAxis(metric) + (log ? ', log scale' : ''), scale: log ? { type: 'log' as const } : { zero: true } };
  const x = { field: 'x', type: 'ordinal' as const, title: `${xKey} (values run)`, sort: xValues, axis: { labelAngle: 0 } };
  const many = series.length > 1;
  const colour = many ? { field: 'series', type: 'nominal' as const, title: otherKeys.length === 1 ? otherKeys[0]! : otherKeys.map(shortKey).join(', '), sort: series, legend: { labelLimit: 260 } } : { value: '#4c78a8' };
  const xOffset = many ? { xOffset: { field: 'series', type: 'nominal' as const, sort: series } } : {};
  const title = `${metricTitle(metric)} by ${[xKey, ...(many ? otherKeys : [])].map(shortKey).join(' and ')}`;
  const question = isLatency(metric) ? `Which value of ${xKey} keeps the ${metric} latency of successful requests down?` : `Which value of ${xKey} keeps ${metric.split('/')[0]}s rare?`;
  const tooltip = [{ field: 'x', title: xKey }, { field: 'series' }, { field: 'mean', format: '.3g' }, { field: 'lo', format: '.3g' }, { field: 'hi', format: '.3g' }];
  return {
    id: `sweep-${metric.replace(/[^a-z0-9]+/gi, '-')}`,
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(title, question, origin, 'dots: means; bars: 95% intervals over the replications'),
      width: Math.max(320, Math.min(560, xValues.length * Math.max(40, 24 * series.length))),
      height: 280,
      data: { values: rows },
      encoding: { x, color: colour, ...xOffset },
      layer: [
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' } } },
        { mark: { type: 'tick', thickness: 1.5, size: 8 }, encoding: { y: { field: 'lo', ...y } } },
        { mark: { type: 'tick', thickness: 1.5, size: 8 }, encoding: { y: { field: 'hi', ...y } } },
        { mark: { type: 'point', filled: true, size: 50, opacity: 1 }, encoding: { y: { field: 'mean', ...y }, tooltip } },
      ],
    },
  };
}
