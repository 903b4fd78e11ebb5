// A sweep over two keys as a heatmap: a metric's mean in each cell, written in it.
import type { SweepResult } from '../../experiment/sweep.js';
import { num } from '../format.js';
import { CONFIG, SCHEMA, finite, shortKey, type Chart } from './spec.js';
import { metricFigure, metricTitle, type SweepMetric } from './sweep-metric.js';

export function sweepHeatmapChart(r: SweepResult, metric: SweepMetric): Chart {
  if (r.vary.length < 2) throw new Error('a heatmap needs two varied keys');
  const [xKey, yKey] = [r.vary[0]!.path, r.vary[1]!.path];
  const rows = r.points.map((p) => {
    const f = metricFigure(p.result, metric);
    return { x: String(p.point[xKey]), y: String(p.point[yKey]), mean: finite(f.mean) ? f.mean : null, label: finite(f.mean) ? num(f.mean) : '—' };
  });
  const title = `${metricTitle(metric)}: ${shortKey(xKey)} × ${shortKey(yKey)}`;
  return {
    id: `heatmap-${metric.replace(/[^a-z0-9]+/gi, '-')}`,
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: { text: title, subtitle: `${r.model}: mean of ${r.replications} replications per cell` },
      width: { step: 48 },
      height: { step: 32 },
      data: { values: rows },
      encoding: {
        x: { field: 'x', type: 'ordinal', title: xKey, sort: r.vary[0]!.values.map(String) },
        y: { field: 'y', type: 'ordinal', title: yKey, sort: r.vary[1]!.values.map(String) },
      },
      layer: [
        { mark: 'rect', encoding: { color: { field: 'mean', type: 'quantitative', title: metricTitle(metric), scale: { scheme: 'orangered' } } } },
        { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'label' }, color: { value: 'black' } } },
      ],
    },
  };
}
