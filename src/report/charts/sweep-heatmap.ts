// A sweep over two keys as a heatmap: a metric's mean in each cell, written in it. It answers
// "which combinations of the two keys are safe?" at a glance (the sweep's table has the intervals).
import type { SweepResult } from '../../experiment/sweep.js';
import { num } from '../format.js';
import { CONFIG, SCHEMA, chartTitle, finite, shortKey, type Chart, type Origin } from './spec.js';
import { metricAxis, metricFigure, metricTitle, type SweepMetric } from './sweep-metric.js';
import { sweepOrigin } from './sweep-origin.js';

export function sweepHeatmapChart(r: SweepResult, metric: SweepMetric, origin: Origin = sweepOrigin(r)): Chart {
  if (r.vary.length < 2) throw new Error('a heatmap needs two varied keys');
  const [xKey, yKey] = [r.vary[0]!.path, r.vary[1]!.path];
  // One cell per pair of values; with a third key, the cell is the mean over its values.
  const cells = new Map<string, { x: string; y: string; sum: number; n: number }>();
  for (const p of r.points) {
    const f = metricFigure(p.result, metric);
    const x = String(p.point[xKey]);
    const y = String(p.point[yKey]);
    const c = cells.get(`${x}|${y}`) ?? { x, y, sum: 0, n: 0 };
    if (finite(f.mean)) {
      c.sum += f.mean;
      c.n++;
    }
    cells.set(`${x}|${y}`, c);
  }
  const rows = [...cells.values()].map((c) => ({ x: c.x, y: c.y, mean: c.n ? c.sum / c.n : null, label: c.n ? num(c.sum / c.n) : '—' }));
  const max = Math.max(0, ...rows.map((d) => d.mean ?? 0));
  const title = `${metricTitle(metric)}: ${shortKey(xKey)} × ${shortKey(yKey)}`;
  const more = r.vary.length > 2 ? `; cells average over ${r.vary.slice(2).map((v) => shortKey(v.path)).join(', ')}` : '';
  return {
    id: `heatmap-${metric.replace(/[^a-z0-9]+/gi, '-')}`,
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(title, `Which combinations of ${shortKey(xKey)} and ${shortKey(yKey)} are safe?`, origin, `the mean in each cell; the table below has the 95% intervals${more}`),
      // Wide and tall enough for the axis titles to clear each other, whatever the grid.
      width: Math.max(280, 56 * r.vary[0]!.values.length),
      height: Math.max(215, 34 * r.vary[1]!.values.length),
      data: { values: rows },
      encoding: {
        x: { field: 'x', type: 'ordinal', title: `${xKey} (values run)`, sort: r.vary[0]!.values.map(String), axis: { labelAngle: 0 } },
        y: { field: 'y', type: 'ordinal', title: `${yKey} (values run)`, sort: r.vary[1]!.values.map(String) },
      },
      layer: [
        { mark: 'rect', encoding: { color: { field: 'mean', type: 'quantitative', title: metricAxis(metric), scale: { scheme: 'orangered', domainMin: 0 }, legend: { titleLimit: 300 } } } },
        {
          mark: { type: 'text', fontSize: 11 },
          encoding: {
            text: { field: 'label' },
            // White on the dark cells, black on the light ones.
            color: { condition: { test: `datum.mean > ${max * 0.6}`, value: 'white' }, value: 'black' },
          },
        },
      ],
    },
  };
}
