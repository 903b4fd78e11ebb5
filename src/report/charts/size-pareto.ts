// Sizing: cost per hour against the 502 rate for every point of the grid (with its 95%
// interval), the Pareto front as a dashed line and the chosen point ringed; labels placed where
// they overlap nothing (label-placement.ts). It answers "what is the cheapest fleet that meets
// the SLOs, and what does a lower 502 rate cost?".
import { num } from '../format.js';
import { placeLabels, type LabelWish } from './label-placement.js';
import { CONFIG, SCHEMA, chartTitle, finite, type Chart, type Origin } from './spec.js';

/** The parts of size.json this chart reads. */
export interface SizeDoc {
  model: string;
  file?: string;
  seed?: number;
  best: { costPerHour: number; containers: number; workers: number; rate502: { mean: number | null } } | null;
  pareto: { costPerHour: number; containers: number; workers: number; rate502: { mean: number | null } }[];
  points: { costPerHour: number; containers: number; workers: number; meets: boolean; replications?: number; rate502: { mean: number | null; ci95: [number | null, number | null] } }[];
  prices: { currency: string };
}

const W = 560;
const H = 320;

export function sizeParetoChart(s: SizeDoc, origin: Origin): Chart {
  const pct = (x: number) => x * 100;
  const label = (p: { containers: number; workers: number }) => `${p.containers}×${p.workers}`;
  const points = s.points
    .filter((p) => finite(p.rate502.mean))
    .map((p) => ({
      cost: p.costPerHour,
      rate: pct(p.rate502.mean!),
      lo: pct(Math.max(0, p.rate502.ci95[0] ?? p.rate502.mean!)),
      hi: pct(p.rate502.ci95[1] ?? p.rate502.mean!),
      verdict: p.meets ? 'meets every SLO' : 'misses an SLO or a guard',
      label: label(p),
      front: s.pareto.some((q) => q.containers === p.containers && q.workers === p.workers && q.costPerHour === p.costPerHour),
    }));
  const front = s.pareto.filter((p) => finite(p.rate502.mean)).map((p) => ({ cost: p.costPerHour, rate: pct(p.rate502.mean!) }));
  const best = s.best && finite(s.best.rate502.mean) ? { cost: s.best.costPerHour, rate: pct(s.best.rate502.mean), label: `chosen: ${label(s.best)}, ${num(s.best.costPerHour, 3)} ${s.prices.currency}/h` } : null;
  // Explicit domains, so that data and pixels convert exactly for the label placement.
  const costs = points.map((p) => p.cost);
  const [c0, c1] = costs.length ? [Math.min(...costs), Math.max(...costs)] : [0, 1];
  const padC = (c1 - c0 || c1 || 1) * 0.08;
  const xDomain = [Math.max(0, c0 - padC), c1 + padC];
  const yTop = Math.max(0.01, ...points.map((p) => Math.max(p.hi, p.rate))) * 1.12;
  const yDomain = [0, yTop];
  const px = (c: number) => ((c - xDomain[0]!) / (xDomain[1]! - xDomain[0]!)) * W;
  const py = (r: number) => H - (r / yTop) * H;
  const cx = (x: number) => xDomain[0]! + (x / W) * (xDomain[1]! - xDomain[0]!);
  const cy = (y: number) => ((H - y) / H) * yTop;
  // The chosen point's label first, then the Pareto front's, then the rest by cost; points drawn
  // on top of each other (the same cost, rates a few pixels apart) share one label.
  const order = [...points.keys()].sort((a, b) => Number(points[b]!.front) - Number(points[a]!.front) || points[a]!.cost - points[b]!.cost);
  const groups: { px: number; py: number; labels: string[] }[] = [];
  for (const i of order) {
    const p = points[i]!;
    const g = groups.find((q) => Math.abs(q.px - px(p.cost)) < 4 && Math.abs(q.py - py(p.rate)) < 6);
    if (g) g.labels.push(p.label);
    else groups.push({ px: px(p.cost), py: py(p.rate), labels: [p.label] });
  }
  const wishes: LabelWish[] = [
    ...(best ? [{ px: px(best.cost), py: py(best.rate), text: best.label, fontSize: 11, bold: true, radius: 12 }] : []),
    ...groups.map((g) => ({ px: g.px, py: g.py, text: g.labels.join(', '), fontSize: 10, radius: 5 })),
  ];
  const placed = placeLabels(wishes, W, H);
  const labels = placed.map((p) => ({ x: cx(p.x), y: cy(p.y), align: p.align, text: wishes[p.index]!.text, bold: best !== null && p.index === 0 }));
  // A label placed away from its point is tied to it by a thin line, from the point's edge to the label's.
  const leaders = placed
    .filter((p) => p.far)
    .map((p) => {
      const w = wishes[p.index]!;
      const dx = p.x - w.px;
      const dy = p.y - w.py;
      const d = Math.hypot(dx, dy) || 1;
      const ex = p.align === 'left' ? p.x - 2 : p.align === 'right' ? p.x + 2 : p.x;
      const ey = p.align === 'center' ? p.y - Math.sign(dy) * (w.fontSize * 0.6 + 1) : p.y;
      return { x: cx(w.px + (dx / d) * w.radius), y: cy(w.py + (dy / d) * w.radius), x2: cx(ex), y2: cy(ey) };
    });
  const dropped = wishes.length - placed.length;
  const x = { field: 'cost', type: 'quantitative' as const, title: `cost per hour (${s.prices.currency}/h)`, scale: { domain: xDomain, nice: false, zero: false } };
  const y = { field: 'rate', type: 'quantitative' as const, title: '502s (% of requests)', scale: { domain: yDomain, nice: false } };
  const textLayer = (align: 'left' | 'center' | 'right', bold: boolean) => ({
    data: { values: labels.filter((l) => l.align === align && l.bold === bold) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize: bold ? 11 : 10, fontWeight: bold ? ('bold' as const) : ('normal' as const), color: bold ? '#000' : '#444' },
    encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, text: { field: 'text' } },
  });
  const title = `Cost per hour (${s.prices.currency}/h) against the 502 rate (% of requests)`;
  return {
    id: 'size-pareto',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(
        title,
        'What is the cheapest fleet that meets the SLOs, and what does a lower 502 rate cost?',
        origin,
        `labels: containers×workers; dashed: the Pareto front; ring: the chosen point; bars: 95% intervals${dropped > 0 ? `; ${dropped} label${dropped === 1 ? '' : 's'} left out where no free place was (the table lists every point)` : ''}`,
      ),
      width: W,
      height: H,
      layer: [
        { data: { values: points }, mark: { type: 'rule', opacity: 0.45, color: '#777' }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
        { data: { values: front }, mark: { type: 'line', color: '#333', strokeDash: [4, 3] }, encoding: { x, y } },
        {
          data: { values: points },
          mark: { type: 'point', filled: true, size: 60, opacity: 0.9 },
          encoding: { x, y, color: { field: 'verdict', type: 'nominal', title: 'SLOs', scale: { domain: ['meets every SLO', 'misses an SLO or a guard'], range: ['#2ca02c', '#d62728'] }, legend: { orient: 'bottom', labelLimit: 300 } } },
        },
        ...(best ? [{ data: { values: [best] }, mark: { type: 'point' as const, shape: 'circle', size: 420, strokeWidth: 2.5, color: '#000' }, encoding: { x, y } }] : []),
        { data: { values: leaders }, mark: { type: 'rule', color: '#555', strokeWidth: 0.8 }, encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, x2: { field: 'x2' }, y2: { field: 'y2' } } },
        ...(['left', 'center', 'right'] as const).flatMap((a) => [textLayer(a, false), textLayer(a, true)]),
      ],
    } as Chart['spec'],
  };
}
