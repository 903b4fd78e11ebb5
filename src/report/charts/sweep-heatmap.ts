// A sweep over two keys as a heatmap: a metric's mean in each cell, written in it; a panel for
// each combination of any further keys (never an average over a varied key: a cell is one
// configuration). The colour scale is logarithmic once the means span more than two decades, so
// one collapsed fleet does not paint every other cell the same. Cells of fleets that fail more
// than the 5xx guard allows are outlined and say how many fail, with which status, so an
// overloaded fleet never reads as the lightest, best cell. It answers "which combinations of the
// two keys are safe?" at a glance (the sweep's table has the intervals).
import type { SweepResult } from '../../experiment/sweep.js';
import { num } from '../format.js';
import { CONFIG, SCHEMA, chartTitle, finite, shortKey, valueScale, type Chart, type Origin } from './spec.js';
import { OVERLOADED, overloadOf } from './overload.js';
import { metricAxis, metricFigure, metricTitle, type SweepMetric } from './sweep-metric.js';
import { facetted, type SweepLayout } from './sweep-layout.js';
import { sweepOrigin } from './sweep-origin.js';

export function sweepHeatmapChart(r: SweepResult, metric: SweepMetric, origin: Origin = sweepOrigin(r)): Chart {
  if (r.vary.length < 2) throw new Error('a heatmap needs two varied keys');
  const [xKey, yKey, ...facetKeys] = r.vary.map((v) => v.path) as [string, string, ...string[]];
  const facetOf = (p: Record<string, unknown>) => facetKeys.map((k) => `${k}=${String(p[k])}`).join('\n');
  const facets = [...new Set(r.points.map((p) => facetOf(p.point)))];
  const layout: SweepLayout = { xKey, colourKey: yKey, facetKeys, series: [], facets, seriesOf: () => '', facetOf };
  const rows = r.points.map((p) => {
    const f = metricFigure(p.result, metric);
    const o = overloadOf(p.result);
    const mean = finite(f.mean) ? f.mean : null;
    return { x: String(p.point[xKey]), y: String(p.point[yKey]), facet: facetOf(p.point), mean, label: o.over ? [num(mean), o.text] : [num(mean)], over: o.over };
  });
  const s = valueScale(rows.flatMap((d) => (d.mean === null ? [] : [d.mean])), { zeroApart: true });
  // Colour scale on the same terms as an axis; log needs values above 0 (a latency always is).
  const scale = s.kind === 'linear' ? { scheme: 'orangered', domainMin: 0 } : { ...s.scale, scheme: 'orangered' };
  const position = (v: number) => {
    const lo = s.kind === 'log' ? Math.log10(s.floor) : 0;
    const top = Math.max(...rows.map((d) => d.mean ?? 0));
    if (s.kind === 'linear') return top > 0 ? v / top : 0;
    const c = Number(s.scale['constant'] ?? 1);
    const f = (x: number) => (s.kind === 'log' ? Math.log10(Math.max(x, s.floor)) : Math.log1p(x / c));
    return top > 0 ? (f(v) - lo) / (f(top) - lo || 1) : 0;
  };
  const dark = rows.filter((d) => d.mean !== null && position(d.mean) > 0.6).map((d) => `${d.x}|${d.y}|${d.facet}`);
  const title = `${metricTitle(metric)}: ${shortKey(xKey)} × ${shortKey(yKey)}${facetKeys.length ? `, by ${facetKeys.map(shortKey).join(', ')}` : ''}`;
  const anyOver = rows.some((d) => d.over);
  const notes = [
    `the mean in each cell; the table below has the 95% intervals${s.kind !== 'linear' ? `; colour on a ${s.note || 'log scale'}` : ''}`,
    facetKeys.length ? `one panel per value of ${facetKeys.join(', ')}` : '',
    anyOver ? `outlined: ${OVERLOADED} (the share and the main status written)` : '',
  ];
  const cellW = anyOver ? 96 : 56;
  const cellH = anyOver ? 42 : 34;
  const spec = facetted(
    layout,
    { $schema: SCHEMA, config: CONFIG, title: chartTitle(title, `Which combinations of ${shortKey(xKey)} and ${shortKey(yKey)} are safe?`, origin, ...notes), data: { values: rows } },
    {
      // Wide and tall enough for the axis titles to clear each other, whatever the grid.
      width: Math.max(facetKeys.length ? 240 : 280, cellW * r.vary[0]!.values.length),
      height: Math.max(215, cellH * r.vary[1]!.values.length),
      encoding: {
        x: { field: 'x', type: 'ordinal', title: `${xKey} (values run)`, sort: r.vary[0]!.values.map(String), axis: { labelAngle: 0 } },
        y: { field: 'y', type: 'ordinal', title: `${yKey} (values run)`, sort: r.vary[1]!.values.map(String) },
      },
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            color: { field: 'mean', type: 'quantitative', title: metricAxis(metric) + s.suffix, scale, legend: { titleLimit: 0, ...(facets.length > 1 ? { orient: 'bottom' as const, gradientLength: 260 } : {}), ...(s.kind !== 'linear' ? { values: (s.axis['values'] as number[] | undefined)?.filter((v) => v > 0 || s.kind === 'symlog'), format: ',~r' } : {}) } },
            stroke: { condition: { test: 'datum.over', value: '#000' }, value: null },
            strokeWidth: { condition: { test: 'datum.over', value: 3 }, value: 0 },
          },
        },
        {
          mark: { type: 'text', fontSize: 11, lineHeight: 13 },
          encoding: {
            text: { field: 'label' },
            // White on the dark cells, black on the light ones.
            color: { condition: { test: `indexof(${JSON.stringify(dark)}, datum.x + '|' + datum.y + '|' + datum.facet) >= 0`, value: 'white' }, value: 'black' },
          },
        },
      ],
    },
  );
  return { id: `heatmap-${metric.replace(/[^a-z0-9]+/gi, '-')}`, title, spec };
}
