// Pairwise pictures of the unknowns (as hmer's plots): for each pair of numeric unknowns, every
// point tried, coloured by its implausibility (capped at twice the cut-off), the points not ruled
// out drawn as filled circles and the others as crosses; and the minimum-implausibility
// projection: the plane cut into cells, each coloured by the smallest implausibility any point in
// it reached, whatever the other unknowns were. Where the projection is dark nothing fits in that
// cell; where it is light, some value of the others fits.
import { CONFIG, SCHEMA, chartTitle, shortKey, type Chart, type Origin } from '../report/charts/spec.js';
import type { InferAnswer } from './answer.js';
import { axisTitle, axisValue, type Unknown } from './unknowns.js';

type Range = Extract<Unknown, { kind: 'range' }>;
const CELLS = 10;

export function pairCharts(a: InferAnswer, unknowns: readonly Unknown[], origin: Origin): Chart[] {
  const ranges = unknowns.filter((u): u is Range => u.kind === 'range');
  const out: Chart[] = [];
  const cap = 2 * a.cutoff;
  // One numeric unknown: its implausibility along its range, the cut-off drawn.
  if (ranges.length === 1) out.push(lineChart(a, ranges[0]!, cap, origin));
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [x, y] = [ranges[i]!, ranges[j]!];
      const rows = a.tried.map((t) => ({
        x: axisValue(x, t.point[x.key]!),
        y: axisValue(y, t.point[y.key]!),
        I: Math.min(cap, t.implausibility ?? cap),
        shown: t.implausibility === null ? '∞' : Number(t.implausibility.toPrecision(3)),
        verdict: t.ruledOut ? `ruled out (I > ${a.cutoff})` : `not ruled out (I ≤ ${a.cutoff})`,
        by: t.boundBy,
        wave: t.wave,
      }));
      const xDomain = [x.lo / x.factor, x.hi / x.factor];
      const yDomain = [y.lo / y.factor, y.hi / y.factor];
      // Minimum implausibility per cell of a CELLS × CELLS grid over the two ranges.
      const cell = new Map<string, { x0: number; x1: number; y0: number; y1: number; I: number }>();
      const wx = (xDomain[1]! - xDomain[0]!) / CELLS;
      const wy = (yDomain[1]! - yDomain[0]!) / CELLS;
      for (const r of rows) {
        const cx = Math.min(CELLS - 1, Math.floor((r.x - xDomain[0]!) / wx));
        const cy = Math.min(CELLS - 1, Math.floor((r.y - yDomain[0]!) / wy));
        const k = `${cx},${cy}`;
        const c = cell.get(k) ?? { x0: xDomain[0]! + cx * wx, x1: xDomain[0]! + (cx + 1) * wx, y0: yDomain[0]! + cy * wy, y1: yDomain[0]! + (cy + 1) * wy, I: cap };
        c.I = Math.min(c.I, r.I);
        cell.set(k, c);
      }
      const colour = { scale: { scheme: 'viridis', reverse: true, domain: [0, cap] }, title: `implausibility (capped at ${cap})`, legend: { titleLimit: 300 } };
      const question = `Which ${shortKey(x.key)} and ${shortKey(y.key)} are consistent with what was observed?`;
      const title = `implausibility: ${shortKey(x.key)} × ${shortKey(y.key)}`;
      out.push({
        id: `infer-${shortKey(x.key)}-${shortKey(y.key)}`.replace(/[^A-Za-z0-9-]+/g, '-'),
        title,
        spec: {
          $schema: SCHEMA,
          config: CONFIG,
          title: chartTitle(title, question, origin, `left: every point tried (circles not ruled out, crosses ruled out at I > ${a.cutoff}); right: the smallest implausibility in each cell over every other unknown`),
          hconcat: [
            {
              width: 300,
              height: 260,
              data: { values: rows },
              mark: { type: 'point', filled: true, size: 45, opacity: 0.85 },
              encoding: {
                x: { field: 'x', type: 'quantitative', title: axisTitle(x), scale: { domain: xDomain, zero: false } },
                y: { field: 'y', type: 'quantitative', title: axisTitle(y), scale: { domain: yDomain, zero: false } },
                color: { field: 'I', type: 'quantitative', ...colour },
                shape: { field: 'verdict', type: 'nominal', title: null, scale: { domain: [`not ruled out (I ≤ ${a.cutoff})`, `ruled out (I > ${a.cutoff})`], range: ['circle', 'cross'] }, legend: { orient: 'bottom', labelLimit: 300 } },
                tooltip: [{ field: 'x', title: x.key }, { field: 'y', title: y.key }, { field: 'shown', title: 'implausibility' }, { field: 'by', title: 'bound by' }, { field: 'wave' }],
              },
            },
            {
              width: 260,
              height: 260,
              data: { values: [...cell.values()] },
              mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
              encoding: {
                x: { field: 'x0', type: 'quantitative', title: axisTitle(x), scale: { domain: xDomain, zero: false } },
                x2: { field: 'x1' },
                y: { field: 'y0', type: 'quantitative', title: axisTitle(y), scale: { domain: yDomain, zero: false } },
                y2: { field: 'y1' },
                color: { field: 'I', type: 'quantitative', ...colour },
              },
            },
          ],
          resolve: { scale: { color: 'shared' } },
        } as never,
      });
    }
  }
  return out;
}

function lineChart(a: InferAnswer, x: Range, cap: number, origin: Origin): Chart {
  const rows = a.tried.map((t) => ({
    x: axisValue(x, t.point[x.key]!),
    I: Math.min(cap, t.implausibility ?? cap),
    verdict: t.ruledOut ? `ruled out (I > ${a.cutoff})` : `not ruled out (I ≤ ${a.cutoff})`,
    by: t.boundBy,
  }));
  const title = `implausibility along ${shortKey(x.key)}`;
  return {
    id: `infer-${shortKey(x.key)}`.replace(/[^A-Za-z0-9-]+/g, '-'),
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(title, `Which ${shortKey(x.key)} is consistent with what was observed?`, origin, `every point tried (capped at ${cap}); below the line at ${a.cutoff}: not ruled out`),
      width: 520,
      height: 260,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'point', filled: true, size: 45 },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: axisTitle(x), scale: { domain: [x.lo / x.factor, x.hi / x.factor], zero: false } },
            y: { field: 'I', type: 'quantitative', title: `implausibility (capped at ${cap})`, scale: { domain: [0, cap] } },
            shape: { field: 'verdict', type: 'nominal', title: null, scale: { domain: [`not ruled out (I ≤ ${a.cutoff})`, `ruled out (I > ${a.cutoff})`], range: ['circle', 'cross'] }, legend: { orient: 'bottom', labelLimit: 300 } },
            color: { field: 'verdict', type: 'nominal', scale: { domain: [`not ruled out (I ≤ ${a.cutoff})`, `ruled out (I > ${a.cutoff})`], range: ['#2ca02c', '#d62728'] }, legend: null },
            tooltip: [{ field: 'x', title: x.key }, { field: 'I', title: 'implausibility' }, { field: 'by', title: 'bound by' }],
          },
        },
        { data: { values: [{ y: a.cutoff }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      ],
    } as never,
  };
}
