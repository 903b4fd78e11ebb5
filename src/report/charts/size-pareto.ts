// Sizing: cost per hour against the failure rate (every 5xx status, as a share of requests) for
// every point of the grid (with its 95% interval), the Pareto front as a dashed line and the
// chosen point ringed; overloaded points (failing more than the 5xx guard allows) drawn as dark
// crosses and labelled with their share and main status; labels placed where they overlap
// nothing (label-placement.ts), and never shared between points of different verdicts. A log
// axis once the rates span more than two decades. It answers "what is the cheapest fleet that
// meets the SLOs, and what does failing less cost?".
import type { SweepResult } from '../../experiment/sweep.js';
import { num } from '../format.js';
import { placeLabels, type LabelWish } from './label-placement.js';
import { OVERLOAD_SHARE, OVERLOADED, overloadOf, shareText } from './overload.js';
import { CONFIG, SCHEMA, chartTitle, finite, symlog, valueScale, type Chart, type Origin } from './spec.js';

/** The parts of size.json this chart reads. */
export interface SizeDoc {
  model: string;
  file?: string;
  seed?: number;
  best: { costPerHour: number; containers: number; workers: number; rate5xx: { mean: number | null } } | null;
  pareto: { costPerHour: number; containers: number; workers: number; rate5xx: { mean: number | null } }[];
  /** In the sweep's order (the same as the sweep result's points). */
  points: { costPerHour: number; containers: number; workers: number; meets: boolean; replications?: number; rate5xx: { mean: number | null; ci95: [number | null, number | null] } }[];
  prices: { currency: string };
}

const W = 560;
const H = 320;

const MEETS = 'meets every SLO';
const MISSES = 'misses an SLO or a guard';

/** `sweep`, when given, names each overloaded point's main failing status. */
export function sizeParetoChart(s: SizeDoc, origin: Origin, sweep?: SweepResult): Chart {
  const pct = (x: number) => x * 100;
  const label = (p: { containers: number; workers: number }) => `${p.containers}×${p.workers}`;
  const points = s.points.flatMap((p, i) => {
    if (!finite(p.rate5xx.mean)) return [];
    const o = sweep?.points[i] ? overloadOf(sweep.points[i]!.result) : null;
    const over = o ? o.over : p.rate5xx.mean > OVERLOAD_SHARE;
    const verdict = p.meets ? MEETS : over ? OVERLOADED : MISSES;
    return [{
      cost: p.costPerHour,
      rate: pct(p.rate5xx.mean),
      lo: pct(Math.max(0, p.rate5xx.ci95[0] ?? p.rate5xx.mean)),
      hi: pct(Math.max(0, p.rate5xx.ci95[1] ?? p.rate5xx.mean)),
      verdict,
      label: verdict === OVERLOADED ? `${label(p)}: ${o ? o.text : `${shareText(p.rate5xx.mean)} fail`}` : label(p),
      front: s.pareto.some((q) => q.containers === p.containers && q.workers === p.workers && q.costPerHour === p.costPerHour),
    }];
  });
  const front = s.pareto.filter((p) => finite(p.rate5xx.mean)).map((p) => ({ cost: p.costPerHour, rate: pct(p.rate5xx.mean!) }));
  const best = s.best && finite(s.best.rate5xx.mean) ? { cost: s.best.costPerHour, rate: pct(s.best.rate5xx.mean), label: `chosen: ${label(s.best)}, ${num(s.best.costPerHour, 3)} ${s.prices.currency}/h` } : null;
  // Explicit domains, so that data and pixels convert exactly for the label placement.
  const costs = points.map((p) => p.cost);
  const [c0, c1] = costs.length ? [Math.min(...costs), Math.max(...costs)] : [0, 1];
  const padC = (c1 - c0 || c1 || 1) * 0.08;
  const xDomain = [Math.max(0, c0 - padC), c1 + padC];
  // Linear while the rates span two decades at most; beyond, a symmetric log axis (0 stays 0).
  const sc = valueScale(points.flatMap((p) => [p.lo, p.rate, p.hi])); // the rules run from lo
  const log = sc.kind !== 'linear';
  const C = log ? Number(sc.scale['constant']) : 1;
  const yTop = log ? Math.max(...(sc.scale['domain'] as number[])) : Math.max(0.01, ...points.map((p) => Math.max(p.hi, p.rate))) * 1.12;
  const yDomain = [0, yTop];
  const t = (r: number) => (log ? symlog(r, C) : r);
  const px = (c: number) => ((c - xDomain[0]!) / (xDomain[1]! - xDomain[0]!)) * W;
  const py = (r: number) => H - (t(r) / t(yTop)) * H;
  const cx = (x: number) => xDomain[0]! + (x / W) * (xDomain[1]! - xDomain[0]!);
  const cy = (y: number) => {
    const v = ((H - y) / H) * t(yTop);
    return log ? Math.sign(v) * C * Math.expm1(Math.abs(v)) : v;
  };
  // The chosen point's label first, then the Pareto front's, then the rest by cost; points drawn
  // on top of each other (the same cost, rates a few pixels apart) share one label.
  const order = [...points.keys()].sort((a, b) => Number(points[b]!.front) - Number(points[a]!.front) || points[a]!.cost - points[b]!.cost);
  const groups: { px: number; py: number; labels: string[]; verdict: string }[] = [];
  const isBest = (p: (typeof points)[number]) => s.best !== null && p.cost === s.best.costPerHour && p.label === label(s.best);
  for (const i of order) {
    const p = points[i]!;
    // The chosen point is named by its own label.
    if (best && isBest(p)) continue;
    // Only points of the same verdict share a label: a failing point's name never sits by a passing one.
    const g = groups.find((q) => q.verdict === p.verdict && Math.abs(q.px - px(p.cost)) < 4 && Math.abs(q.py - py(p.rate)) < 6);
    if (g) g.labels.push(p.label);
    else groups.push({ px: px(p.cost), py: py(p.rate), labels: [p.label], verdict: p.verdict });
  }
  const wishes: LabelWish[] = [
    ...(best ? [{ px: px(best.cost), py: py(best.rate), text: best.label, fontSize: 11, bold: true, radius: 12 }] : []),
    ...groups.map((g) => ({ px: g.px, py: g.py, text: g.labels.join(', '), fontSize: 10, radius: 5 })),
  ];
  // The dashed front, sampled every few pixels, is kept clear of labels too.
  const line: { px: number; py: number; radius: number }[] = [];
  for (let k = 1; k < front.length; k++) {
    const [a, b] = [front[k - 1]!, front[k]!];
    const [x0, y0, x1, y1] = [px(a.cost), py(a.rate), px(b.cost), py(b.rate)];
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 4);
    for (let i = 0; i <= steps; i++) line.push({ px: x0 + ((x1 - x0) * i) / steps, py: y0 + ((y1 - y0) * i) / steps, radius: 1.5 });
  }
  const placed = placeLabels(wishes, W, H, line);
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
  const y = {
    field: 'rate',
    type: 'quantitative' as const,
    title: `5xx (% of requests)${log ? ', log scale' : ''}`,
    scale: log ? { type: 'symlog' as const, constant: C, domain: yDomain, nice: false } : { domain: yDomain, nice: false },
    ...(log ? { axis: sc.axis } : {}),
  };
  const textLayer = (align: 'left' | 'center' | 'right', bold: boolean) => ({
    data: { values: labels.filter((l) => l.align === align && l.bold === bold) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize: bold ? 11 : 10, fontWeight: bold ? ('bold' as const) : ('normal' as const), color: bold ? '#000' : '#444' },
    encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, text: { field: 'text' } },
  });
  const title = `Cost per hour (${s.prices.currency}/h) against failed requests (% of requests, all 5xx)`;
  return {
    id: 'size-pareto',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(
        title,
        'What is the cheapest fleet that meets the SLOs, and what does failing less cost?',
        origin,
        `labels: containers×workers; dashed: the Pareto front; ring: the chosen point; bars: 95% intervals; crosses: ${OVERLOADED}${log ? `; ${sc.note}` : ''}${dropped > 0 ? `; ${dropped} label${dropped === 1 ? '' : 's'} left out where no free place was (the table lists every point)` : ''}`,
      ),
      width: W,
      height: H,
      layer: [
        { data: { values: points }, mark: { type: 'rule', opacity: 0.45, color: '#777' }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
        { data: { values: front }, mark: { type: 'line', color: '#333', strokeDash: [4, 3] }, encoding: { x, y } },
        {
          data: { values: points },
          mark: { type: 'point', filled: true, size: 70, opacity: 0.9, strokeWidth: 2.5 },
          encoding: {
            x,
            y,
            color: { field: 'verdict', type: 'nominal', title: 'SLOs', scale: { domain: [MEETS, MISSES, OVERLOADED], range: ['#2ca02c', '#e8a33d', '#000000'] }, legend: { orient: 'bottom', labelLimit: 0, columns: 1 } },
            shape: { field: 'verdict', type: 'nominal', title: 'SLOs', scale: { domain: [MEETS, MISSES, OVERLOADED], range: ['circle', 'square', 'cross'] } },
          },
        },
        ...(best ? [{ data: { values: [best] }, mark: { type: 'point' as const, shape: 'circle', size: 420, strokeWidth: 2.5, color: '#000' }, encoding: { x, y } }] : []),
        { data: { values: leaders }, mark: { type: 'rule', color: '#555', strokeWidth: 0.8 }, encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, x2: { field: 'x2' }, y2: { field: 'y2' } } },
        ...(['left', 'center', 'right'] as const).flatMap((a) => [textLayer(a, false), textLayer(a, true)]),
      ],
    } as Chart['spec'],
  };
}
