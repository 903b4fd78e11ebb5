// A sweep as lines: a metric (with its 95% interval as a band) against the first varied key,
// one line per value of the second (e.g. workers on x, one line per container count).
import type { SweepResult } from '../../experiment/sweep.js';
import { CONFIG, SCHEMA, finite, shortKey, type Chart } from './spec.js';
import { isLatency, metricFigure, metricTitle, type SweepMetric } from './sweep-metric.js';

export function sweepLinesChart(r: SweepResult, metric: SweepMetric): Chart {
  const [xKey, seriesKey] = r.vary.map((v) => v.path);
  if (!xKey) throw new Error('a sweep chart needs at least one varied key');
  const numericX = r.vary[0]!.values.every((v) => typeof v === 'number');
  const rows = r.points.flatMap((p) => {
    const f = metricFigure(p.result, metric);
    if (!finite(f.mean)) return [];
    return [
      {
        x: p.point[xKey],
        series: seriesKey ? String(p.point[seriesKey]) : 'all',
        mean: f.mean,
        lo: finite(f.ci95[0]) ? Math.max(f.ci95[0], 0) : f.mean,
        hi: finite(f.ci95[1]) ? f.ci95[1] : f.mean,
      },
    ];
  });
  const title = `${metricTitle(metric)} against ${shortKey(xKey)}${seriesKey ? `, by ${shortKey(seriesKey)}` : ''}`;
  const x = { field: 'x', type: numericX ? ('quantitative' as const) : ('ordinal' as const), title: xKey, ...(numericX ? { scale: { zero: false } } : {}) };
  const color = seriesKey
    ? { field: 'series', type: 'nominal' as const, title: shortKey(seriesKey), sort: r.vary[1]!.values.map(String) }
    : { value: '#4c78a8' };
  const yScale = isLatency(metric) && rows.every((d) => d.lo > 0) ? { type: 'log' as const } : {};
  return {
    id: `sweep-${metric.replace(/[^a-z0-9]+/gi, '-')}`,
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: { text: title, subtitle: `${r.model}: ${r.replications} replications per point; bands are 95% intervals` },
      width: 520,
      height: 300,
      data: { values: rows },
      encoding: { x, color },
      layer: [
        { mark: { type: 'errorband', opacity: 0.2 }, encoding: { y: { field: 'lo', type: 'quantitative', title: metricTitle(metric), scale: yScale }, y2: { field: 'hi' } } },
        { mark: { type: 'line', point: true }, encoding: { y: { field: 'mean', type: 'quantitative', title: metricTitle(metric), scale: yScale } } },
      ],
    },
  };
}
