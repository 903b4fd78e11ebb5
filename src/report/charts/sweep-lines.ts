// A sweep as points with error bars: a metric's mean and 95% interval at each value actually run
// of the first varied key (an ordinal axis: nothing is drawn between the values, no half
// workers), a coloured series for each value of the second key, a panel for each combination of
// the others (never an average over a varied key). Latency is drawn on a log axis, counts on a
// log axis once they span more than two decades; intervals are clipped at 0 (a count or a
// latency is never negative). Points that fail more than the 5xx guard allows are drawn as
// crosses and named in the subtitle, so an overloaded fleet never looks like the best one. It
// answers "which value of KEY keeps METRIC down?".
import type { SweepResult } from '../../experiment/sweep.js';
import { CONFIG, SCHEMA, chartTitle, finite, shortKey, valueScale, type Chart, type Origin } from './spec.js';
import { OVERLOAD_SHARE, OVERLOADED, overloadOf } from './overload.js';
import { isLatency, metricAxis, metricFigure, metricTitle, type SweepMetric } from './sweep-metric.js';
import { facetted, sweepLayout } from './sweep-layout.js';
import { sweepOrigin } from './sweep-origin.js';

const HEALTHY = `fails at most ${+(OVERLOAD_SHARE * 100).toFixed(3)}% of requests`;

/** "containers=1, workers=2: 12% fail (504)" for up to `n` overloaded points, then how many more. */
export function overloadedNote(r: SweepResult, n = 2): string {
  const over = r.points.map((p) => ({ p, o: overloadOf(p.result) })).filter(({ o }) => o.over);
  if (over.length === 0) return '';
  const names = over.slice(0, n).map(({ p, o }) => `${r.vary.map((v) => `${shortKey(v.path)}=${String(p.point[v.path])}`).join(' ')}: ${o.text}`);
  return `${OVERLOADED}: ${names.join('; ')}${over.length > n ? `; and ${over.length - n} more (the table lists them)` : ''}`;
}

export function sweepLinesChart(r: SweepResult, metric: SweepMetric, origin: Origin = sweepOrigin(r)): Chart {
  const L = sweepLayout(r);
  const xKey = L.xKey;
  const raw = r.points.flatMap((p) => {
    const f = metricFigure(p.result, metric);
    if (!finite(f.mean)) return [];
    const lo = finite(f.ci95[0]) ? Math.max(f.ci95[0], 0) : f.mean;
    const hi = finite(f.ci95[1]) ? f.ci95[1] : f.mean;
    const o = overloadOf(p.result);
    return [{ x: String(p.point[xKey]), series: L.seriesOf(p.point), facet: L.facetOf(p.point), mean: f.mean, lo: Math.min(lo, f.mean), hi: Math.max(hi, f.mean), state: o.over ? OVERLOADED : HEALTHY, fails: o.text }];
  });
  const s = valueScale(raw.flatMap((d) => [d.mean, d.hi, d.lo]), { alwaysLog: isLatency(metric) });
  // On a log axis a lower bound below the axis' floor (0, or a clipped negative bound) is drawn at the floor.
  const rows = raw.map((d) => ({ ...d, lo: s.kind === 'log' ? Math.max(d.lo, s.floor) : d.lo, mean: s.kind === 'log' ? Math.max(d.mean, s.floor) : d.mean }));
  const clipped = raw.some((d) => s.kind === 'log' && d.lo < s.floor);
  const xValues = r.vary[0]!.values.map(String);
  const y = { type: 'quantitative' as const, title: metricAxis(metric) + s.suffix, scale: s.scale, axis: s.axis };
  const x = { field: 'x', type: 'ordinal' as const, title: `${xKey} (values run)`, sort: xValues, axis: { labelAngle: 0 } };
  const many = L.series.length > 1;
  // With panels side by side, the legend goes below them (the page is 1000 px wide).
  const colour = many
    ? { field: 'series', type: 'nominal' as const, title: L.colourKey!, sort: L.series, legend: { labelLimit: 0, titleLimit: 0, ...(L.facets.length > 1 ? { orient: 'bottom' as const, direction: 'horizontal' as const } : {}) } }
    : { value: '#4c78a8' };
  const xOffset = many ? { xOffset: { field: 'series', type: 'nominal' as const, sort: L.series } } : {};
  const anyOver = rows.some((d) => d.state === OVERLOADED);
  const shape = anyOver
    ? { shape: { field: 'state', type: 'nominal' as const, title: null, scale: { domain: [HEALTHY, OVERLOADED], range: ['circle', 'cross'] }, legend: { labelLimit: 0, orient: 'bottom' as const } } }
    : {};
  const title = `${metricTitle(metric)} by ${[xKey, ...(many ? [L.colourKey!] : []), ...L.facetKeys].map(shortKey).join(', ')}`;
  const question = isLatency(metric) ? `Which value of ${xKey} keeps the ${metric} latency of successful requests down?` : `Which value of ${xKey} keeps ${metric.split('/')[0]}s rare?`;
  const tooltip = [{ field: 'x', title: xKey }, { field: 'series' }, { field: 'mean', format: '.3g' }, { field: 'lo', format: '.3g' }, { field: 'hi', format: '.3g' }, { field: 'fails' }];
  const panels = L.facets.length;
  const width = Math.max(panels > 1 ? 260 : 320, Math.min(panels > 1 ? 340 : 560, xValues.length * Math.max(40, 24 * L.series.length)));
  const notes = [
    'dots: means; bars: 95% intervals over the replications' + (clipped ? `; an interval reaching below ${s.floor} is drawn to the bottom of the axis` : ''),
    s.note,
    panels > 1 ? `one panel per value of ${L.facetKeys.join(', ')}` : '',
    overloadedNote(r),
  ];
  const spec = facetted(
    L,
    { $schema: SCHEMA, config: CONFIG, title: chartTitle(title, question, origin, ...notes), data: { values: rows } },
    {
      width,
      height: 280,
      encoding: { x, color: colour, ...xOffset },
      layer: [
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' } } },
        { mark: { type: 'tick', thickness: 1.5, size: 8 }, encoding: { y: { field: 'lo', ...y } } },
        { mark: { type: 'tick', thickness: 1.5, size: 8 }, encoding: { y: { field: 'hi', ...y } } },
        { mark: { type: 'point', filled: true, size: 60, opacity: 1, strokeWidth: 2.5 }, encoding: { y: { field: 'mean', ...y }, tooltip, ...shape } },
      ],
    },
  );
  return { id: `sweep-${metric.replace(/[^a-z0-9]+/gi, '-')}`, title, spec };
}
