// The line a sweep's report opens with: the point that fails least and the one that fails most
// (every 5xx status, as a share of requests, with its p99), and how many points are overloaded
// (fail more than the 5xx guard allows), so the answer comes before any chart.
import type { SweepPointResult, SweepResult } from '../experiment/sweep.js';
import { OVERLOADED, overloadOf } from './charts/overload.js';
import { num } from './format.js';

const where = (r: SweepResult, p: SweepPointResult) => r.vary.map((v) => `${v.path.split('.').pop()}=${String(p.point[v.path])}`).join(' ');

export function sweepAnswer(r: SweepResult): string {
  const rated = r.points.map((p) => ({ p, o: overloadOf(p.result) })).filter(({ o }) => o.share !== null);
  if (rated.length === 0) return `${r.points.length} points: nothing measured.`;
  // Fewest failures; ties go to the lower p99, then the grid's order.
  const p99 = (p: SweepPointResult) => p.result.latencyMs.p99.mean ?? Infinity;
  const sorted = [...rated].sort((a, b) => a.o.share! - b.o.share! || p99(a.p) - p99(b.p));
  const best = sorted[0]!;
  const worst = sorted[sorted.length - 1]!;
  const say = ({ p, o }: (typeof rated)[number]) => `${where(r, p)}: ${o.text}, p99 ${num(p.result.latencyMs.p99.mean)} ms`;
  const over = rated.filter(({ o }) => o.over).length;
  if (worst.o.share === 0) {
    // Nothing failed anywhere: the answer is the latency.
    const byP99 = [...rated].sort((a, b) => p99(a.p) - p99(b.p));
    const lo = byP99[0]!;
    const hi = byP99[byP99.length - 1]!;
    return `No point failed a request. Lowest p99: ${where(r, lo.p)}, ${num(p99(lo.p))} ms${hi !== lo ? `; highest: ${where(r, hi.p)}, ${num(p99(hi.p))} ms` : ''}.`;
  }
  const parts = [`Fewest failures: ${say(best)}.`];
  if (worst !== best) parts.push(`Most: ${say(worst)}.`);
  parts.push(over > 0 ? `${over} of ${r.points.length} points ${over === 1 ? 'is' : 'are'} ${OVERLOADED}.` : `No point is overloaded (none fails more than the 5xx guard allows).`);
  return parts.join(' ');
}
