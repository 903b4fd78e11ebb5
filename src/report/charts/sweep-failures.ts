// A sweep's failures, every status: failures per 5 minutes for 502, 503, 504 and 500 side by side
// at each value run of the first varied key, with their 95% intervals, in a panel for each
// combination of the other keys. A fleet that sheds load with 504s shows as high as one that
// resets connections with 502s. A log axis once the counts span more than two decades;
// intervals clipped at 0. It answers "which fleets fail, how often, and with which status?".
import type { SweepResult } from '../../experiment/sweep.js';
import { CONFIG, SCHEMA, STATUS_COLOURS, chartTitle, finite, shortKey, valueScale, type Chart, type Origin } from './spec.js';
import { FAILING_STATUSES, overloadOf } from './overload.js';
import { overloadedNote } from './sweep-lines.js';
import { facetted, sweepLayout } from './sweep-layout.js';
import { sweepOrigin } from './sweep-origin.js';

export function sweepFailuresChart(r: SweepResult, origin: Origin = sweepOrigin(r)): Chart {
  const L = sweepLayout(r, false);
  // The statuses that failed anywhere; 502 always, so a sweep with no failure still says so.
  const statuses = FAILING_STATUSES.filter((s) => s === '502' || r.points.some((p) => (p.result.per5min[s]?.mean ?? 0) > 0));
  const rows = r.points.flatMap((p) => {
    const fails = overloadOf(p.result).text;
    return statuses.flatMap((status) => {
      const f = p.result.per5min[status];
      if (!f || !finite(f.mean)) return [];
      const lo = finite(f.ci95[0]) ? Math.max(0, f.ci95[0]) : f.mean;
      const hi = finite(f.ci95[1]) ? f.ci95[1] : f.mean;
      return [{ x: String(p.point[L.xKey]), facet: L.facetOf(p.point), status, mean: f.mean, lo: Math.min(lo, f.mean), hi: Math.max(hi, f.mean), fails }];
    });
  });
  const s = valueScale(rows.flatMap((d) => [d.lo, d.mean, d.hi])); // the rules run from lo: the axis must span it
  const y = { type: 'quantitative' as const, title: `failures (per 5 minutes)${s.suffix}`, scale: s.scale, axis: s.axis };
  const xValues = r.vary[0]!.values.map(String);
  const x = { field: 'x', type: 'ordinal' as const, title: `${L.xKey} (values run)`, sort: xValues, axis: { labelAngle: 0 } };
  const colour = { field: 'status', type: 'nominal' as const, title: 'status', sort: statuses, scale: { domain: statuses, range: statuses.map((k) => STATUS_COLOURS[k] ?? '#888') } };
  const panels = L.facets.length;
  const title = `Failures per 5 minutes by status, by ${[L.xKey, ...L.facetKeys].map(shortKey).join(', ')}`;
  const tooltip = [{ field: 'x', title: L.xKey }, { field: 'status' }, { field: 'mean', format: '.3g' }, { field: 'lo', format: '.3g' }, { field: 'hi', format: '.3g' }, { field: 'fails', title: 'all 5xx' }];
  const spec = facetted(
    L,
    {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(
        title,
        'Which fleets fail, how often, and with which status?',
        origin,
        `dots: means; bars: 95% intervals over the replications; every failing status, not only 502`,
        s.note,
        panels > 1 ? `one panel per value of ${L.facetKeys.join(', ')}` : '',
        overloadedNote(r),
      ),
      data: { values: rows },
    },
    {
      width: Math.max(panels > 1 ? 260 : 320, Math.min(panels > 1 ? 340 : 560, xValues.length * Math.max(48, 20 * statuses.length))),
      height: 260,
      encoding: { x, color: colour, xOffset: { field: 'status', type: 'nominal', sort: statuses } },
      layer: [
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' } } },
        { mark: { type: 'point', filled: true, size: 50, opacity: 1 }, encoding: { y: { field: 'mean', ...y }, tooltip } },
      ],
    },
  );
  return { id: 'sweep-failures', title, spec };
}
