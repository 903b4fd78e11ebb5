// Sizing: cost per hour against the 502 rate, every point of the grid, the Pareto front as a
// line, and the chosen point marked.
import { num } from '../format.js';
import { CONFIG, SCHEMA, finite, type Chart } from './spec.js';

/** The parts of size.json this chart reads. */
export interface SizeDoc {
  model: string;
  best: { costPerHour: number; containers: number; workers: number; rate502: { mean: number | null } } | null;
  pareto: { costPerHour: number; containers: number; workers: number; rate502: { mean: number | null } }[];
  points: { costPerHour: number; containers: number; workers: number; meets: boolean; rate502: { mean: number | null; ci95: [number | null, number | null] } }[];
  prices: { currency: string };
}

export function sizeParetoChart(s: SizeDoc): Chart {
  const pct = (x: number) => x * 100;
  const label = (p: { containers: number; workers: number }) => `${p.containers}×${p.workers}`;
  const points = s.points
    .filter((p) => finite(p.rate502.mean))
    .map((p) => ({ cost: p.costPerHour, rate: pct(p.rate502.mean!), lo: pct(p.rate502.ci95[0] ?? p.rate502.mean!), hi: pct(p.rate502.ci95[1] ?? p.rate502.mean!), verdict: p.meets ? 'meets every SLO' : 'misses an SLO', label: label(p) }));
  const front = s.pareto.filter((p) => finite(p.rate502.mean)).map((p) => ({ cost: p.costPerHour, rate: pct(p.rate502.mean!), label: label(p) }));
  const best = s.best && finite(s.best.rate502.mean) ? [{ cost: s.best.costPerHour, rate: pct(s.best.rate502.mean), label: `chosen: ${label(s.best)}, ${num(s.best.costPerHour, 3)} ${s.prices.currency}/h` }] : [];
  const x = { field: 'cost', type: 'quantitative' as const, title: `cost per hour (${s.prices.currency})`, scale: { zero: false } };
  const y = { field: 'rate', type: 'quantitative' as const, title: '502 rate (% of requests)' };
  const title = 'Cost per hour against 502 rate';
  return {
    id: 'size-pareto',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: { text: title, subtitle: `${s.model}: containers×workers; line: the Pareto front; ring: the chosen point` },
      width: 520,
      height: 320,
      layer: [
        { data: { values: points }, mark: { type: 'rule', opacity: 0.4 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
        {
          data: { values: points },
          mark: { type: 'point', filled: true, size: 50 },
          encoding: { x, y, color: { field: 'verdict', type: 'nominal', title: 'SLOs', scale: { domain: ['meets every SLO', 'misses an SLO'], range: ['#2ca02c', '#d62728'] } } },
        },
        { data: { values: points }, mark: { type: 'text', dx: 14, dy: -8, fontSize: 9, color: '#555' }, encoding: { x, y, text: { field: 'label' } } },
        { data: { values: front }, mark: { type: 'line', color: '#333', strokeDash: [4, 3] }, encoding: { x, y } },
        ...(best.length
          ? [
              { data: { values: best }, mark: { type: 'point' as const, shape: 'circle', size: 400, strokeWidth: 2.5, color: '#000' }, encoding: { x, y } },
              { data: { values: best }, mark: { type: 'text' as const, dy: -20, fontWeight: 'bold' as const, fontSize: 11 }, encoding: { x, y, text: { field: 'label' } } },
            ]
          : []),
      ],
    },
  };
}
