// The figures the page shows, from the replications done so far: failures per 5 minutes and as a
// share of requests, latency percentiles, SIGKILLs by reason, cost; each with its 95% interval,
// computed by the same functions as `capsim run` (summarize.ts, metrics.ts). Pure.
import { estimate, parseMetricName, type Estimate } from '../experiment/metrics.js';
import type { FleetCost } from '../experiment/prices.js';
import type { ReplicationResult } from '../experiment/replication.js';
import type { Figure, RunResult } from '../experiment/summarize.js';
import { dominantCause } from '../report/dominant-cause.js';
import { figure, num } from '../report/format.js';
import { perHour, perMonth } from '../report/money.js';

export interface PageFigure {
  /** The metric's name as --metric and --slo take it where they have one: "502/5min", "p99", "cost". */
  metric: string;
  label: string;
  /** "863 [857, 868]"; "—" when nothing could be measured. */
  text: string;
  unit: string;
  /** Shown prominently (failures and latency); the rest are details. */
  main: boolean;
}

const FAILURES = ['502', '503', '504', '500'] as const;

function pctOf(e: Estimate): string {
  if (!Number.isFinite(e.mean)) return '—';
  const p = (x: number) => `${num(x * 100, 2)}%`;
  return e.lo === e.hi ? p(e.mean) : `${p(e.mean)} [${p(e.lo)}, ${p(e.hi)}]`;
}

const scaled = (f: Figure, k: number): Figure => ({
  mean: f.mean === null ? null : f.mean * k,
  ci95: [f.ci95[0] === null ? null : f.ci95[0] * k, f.ci95[1] === null ? null : f.ci95[1] * k],
});

export function pageFigures(r: RunResult, reps: readonly ReplicationResult[], cost: FleetCost | null, currency = 'USD'): PageFigure[] {
  const out: PageFigure[] = [];
  for (const s of FAILURES) out.push({ metric: `${s}/5min`, label: `${s} per 5 min`, text: figure(r.per5min[s]!), unit: 'per 5 min', main: s !== '500' });
  for (const s of [...FAILURES, '5xx'] as const) {
    const e = estimate(parseMetricName(`${s}-rate`)!, reps, r.simulatedSeconds);
    out.push({ metric: `${s}-rate`, label: `${s} rate`, text: pctOf(e), unit: 'of requests', main: s === '5xx' });
  }
  for (const p of ['p50', 'p95', 'p99'] as const) out.push({ metric: p, label: `${p} latency`, text: figure(r.latencyMs[p]), unit: 'ms (2xx)', main: true });
  const perHourOf = 3600 / r.simulatedSeconds;
  const k = r.workers.sigkills;
  out.push({ metric: 'sigkills/h', label: 'SIGKILLs', text: figure(scaled(k['total']!, perHourOf)), unit: 'per hour', main: true });
  for (const [reason, f] of Object.entries(k)) {
    if (reason !== 'total') out.push({ metric: `sigkills/h.${reason}`, label: `SIGKILLs: ${reason}`, text: figure(scaled(f, perHourOf)), unit: 'per hour', main: false });
  }
  // Headroom: how busy the worker processes are (size's guard is on the mean, util<=80%).
  out.push({ metric: 'util', label: 'worker processes busy (mean)', text: pctOf(estimate({ kind: 'util', of: 'mean' }, reps, r.simulatedSeconds)), unit: 'of the time', main: true });
  out.push({ metric: 'util-max', label: 'busiest worker process', text: pctOf(estimate({ kind: 'util', of: 'max' }, reps, r.simulatedSeconds)), unit: 'of the time', main: false });
  out.push({ metric: 'mercy-exits/h', label: 'mercy exits (no SIGKILL)', text: figure(scaled(r.workers.mercyExits, perHourOf)), unit: 'per hour', main: false });
  if (cost) {
    out.push({ metric: 'cost', label: 'cost', text: perHour(cost.costPerHour, currency), unit: perMonth(cost.costPerHour, currency), main: true });
  }
  return out;
}

/** The answer in one line: the failures and the cause behind most of them. */
export function answerLine(r: RunResult, done: number, total: number): string {
  const reps = done === total ? `${total} replications` : `${done} of ${total} replications so far`;
  const d = dominantCause(r);
  const failed = (['500', '502', '503', '504'] as const).reduce((a, s) => a + (r.per5min[s]!.mean ?? 0), 0);
  if (!d) {
    const upper = (['502', '503', '504'] as const).map((s) => `${s} ≤ ${num(r.per5min[s]!.ci95[1])}`).join(', ');
    return `No failed requests in ${reps} (95% upper bounds per 5 min: ${upper}).`;
  }
  const per5 = scaled(d.figure, 300 / r.simulatedSeconds);
  return (
    `Dominant cause: ${d.status} ${d.cause}, ${figure(per5)} per 5 min, ` +
    `${num(d.share * 100, 3)}% of the ${num(failed)} failed requests per 5 min (${reps}).`
  );
}
