// DIR/sweep.csv: one row per sweep point. A column per varied key path (headed by the path), then
// the point's figures, each named with its unit (`p99_ms`, `502_per_5min`, `cost_usd_per_hour`)
// and followed by its 95% interval over the replications (`p99_ms_lo`, `p99_ms_hi`): a spreadsheet
// never shows a bare point estimate. Failures by cause for every cause seen anywhere in the sweep
// (headed STATUS_CAUSE_per_5min), worker kills by reason, mercy exits and the point's model
// warnings are always there: a point that OOM-kills never looks healthy. Only what is exact (the
// replication count, the cost, the warnings) has no interval.
import { stringify } from 'csv-stringify/sync';
import type { SweepResult } from '../experiment/sweep.js';
import type { Figure } from '../experiment/run-experiment.js';
import { CAUSES, KILL_REASONS, STATUSES } from '../model/outcome.js';

/** A number for a CSV cell: 10 significant digits, empty when unknown. */
export function cell(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  return String(Number(x.toPrecision(10)));
}

const m = (f: Figure | undefined) => f?.mean ?? null;

/** A figure's three columns: NAME, NAME_lo, NAME_hi (the 95% interval). */
const heads = (name: string) => [name, `${name}_lo`, `${name}_hi`];

/** A figure's three cells, scaled (per replication -> per hour, fraction -> percent). */
function cells(f: Figure | undefined, scale = 1): string[] {
  const s = (x: number | null | undefined) => (x === null || x === undefined ? null : x * scale);
  return [cell(s(f?.mean)), cell(s(f?.ci95[0])), cell(s(f?.ci95[1]))];
}

export function sweepCsv(r: SweepResult): string {
  const paths = r.vary.map((v) => v.path);
  const causes: { status: string; cause: string }[] = [];
  // A cause's status depends on the balancer (a Classic ELB answers 504 where an ALB answers 502).
  for (const status of STATUSES.slice(1)) {
    for (const c of CAUSES) {
      if (r.points.some((p) => (m(p.result.causes[status]?.[c.name]) ?? 0) > 0)) causes.push({ status, cause: c.name });
    }
  }
  // Counts are per replication in the results: per 5 simulated minutes for requests, per hour for workers.
  const per5 = 300 / r.simulatedSeconds;
  const perHour = 3600 / r.simulatedSeconds;
  const currency = (r.prices.currency || 'usd').toLowerCase();
  const header = [
    ...paths,
    'replications',
    ...heads('requests_per_5min'),
    ...STATUSES.flatMap((s) => heads(`${s}_per_5min`)),
    ...heads('5xx_per_5min'),
    ...heads('5xx_percent'),
    ...heads('latency_mean_ms'),
    ...heads('p50_ms'),
    ...heads('p95_ms'),
    ...heads('p99_ms'),
    ...heads('latency_max_ms'),
    ...heads('cpu_percent'),
    ...heads('util_percent'),
    ...heads('util_max_percent'),
    ...heads('memory_peak_percent'),
    `cost_${currency}_per_hour`,
    ...heads('recycles_per_hour'),
    ...heads('sigkills_per_hour'),
    ...KILL_REASONS.flatMap((k) => heads(`sigkills_${k}_per_hour`)),
    ...heads('mercy_exits_per_hour'),
    ...heads('zero_live_seconds_per_hour'),
    'warnings',
    ...causes.flatMap((c) => heads(`${c.status}_${c.cause}_per_5min`)),
  ];
  const rows = r.points.map((p) => {
    const res = p.result;
    const w = res.workers;
    return [
      ...paths.map((k) => {
        const v = p.point[k];
        return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
      }),
      String(p.replications),
      ...cells(res.requests, per5),
      ...STATUSES.flatMap((s) => cells(res.per5min[s])),
      ...cells(res.failures.per5min),
      ...cells(res.failures.rate, 100),
      ...cells(res.latencyMs.mean),
      ...cells(res.latencyMs.p50),
      ...cells(res.latencyMs.p95),
      ...cells(res.latencyMs.p99),
      ...cells(res.latencyMs.max),
      ...cells(res.utilization.cpu, 100),
      ...cells(res.utilization.process, 100),
      ...cells(res.utilization.processBusiest, 100),
      ...cells(res.mechanisms['memoryPeak'], 100),
      cell(p.costPerHour),
      ...cells(w.recycles, perHour),
      ...cells(w.sigkills['total'], perHour),
      ...KILL_REASONS.flatMap((k) => cells(w.sigkills[k], perHour)),
      ...cells(w.mercyExits, perHour),
      ...cells(w.zeroLiveSeconds, perHour),
      (p.warnings ?? []).join(' | '),
      ...causes.flatMap((c) => cells(res.causes[c.status]?.[c.cause] ?? { mean: 0, ci95: [0, 0] }, per5)),
    ];
  });
  return stringify([header, ...rows]);
}
