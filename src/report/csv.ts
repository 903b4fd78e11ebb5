// DIR/sweep.csv: one row per sweep point. A column per varied key path (headed by the path),
// then the point's figures (means per replication unless named otherwise), the 95% interval of
// the 502s per 5 minutes, the cost per hour, and the failures by cause for every cause seen
// anywhere in the sweep (headed STATUS_CAUSE, per replication). Worker kills by reason, mercy
// exits and the point's model warnings are always there: a point that OOM-kills never looks healthy.
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

export function sweepCsv(r: SweepResult): string {
  const paths = r.vary.map((v) => v.path);
  const causes: { status: string; cause: string }[] = [];
  // A cause's status depends on the balancer (a Classic ELB answers 504 where an ALB answers 502).
  for (const status of STATUSES.slice(1)) {
    for (const c of CAUSES) {
      if (r.points.some((p) => (m(p.result.causes[status]?.[c.name]) ?? 0) > 0)) causes.push({ status, cause: c.name });
    }
  }
  const header = [
    ...paths,
    'replications',
    'requests',
    ...STATUSES,
    '502_per5min',
    '502_per5min_lo',
    '502_per5min_hi',
    '5xx_rate',
    'p50_ms',
    'p95_ms',
    'p99_ms',
    'cost_per_hour',
    'recycles',
    'sigkills',
    ...KILL_REASONS.map((k) => `sigkills_${k}`),
    'mercy_exits',
    'zero_live_seconds',
    'warnings',
    ...causes.map((c) => `${c.status}_${c.cause}`),
  ];
  const rows = r.points.map((p) => {
    const res = p.result;
    const requests = m(res.requests);
    const failed = STATUSES.slice(1).reduce((a, s) => a + (m(res.status[s]) ?? 0), 0);
    const per5 = res.per5min['502']!;
    return [
      ...paths.map((k) => {
        const v = p.point[k];
        return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
      }),
      String(p.replications),
      cell(requests),
      ...STATUSES.map((s) => cell(m(res.status[s]))),
      cell(per5.mean),
      cell(per5.ci95[0]),
      cell(per5.ci95[1]),
      cell(requests ? failed / requests : null),
      cell(m(res.latencyMs.p50)),
      cell(m(res.latencyMs.p95)),
      cell(m(res.latencyMs.p99)),
      cell(p.costPerHour),
      cell(m(res.workers.recycles)),
      cell(m(res.workers.sigkills['total'])),
      ...KILL_REASONS.map((k) => cell(m(res.workers.sigkills[k]))),
      cell(m(res.workers.mercyExits)),
      cell(m(res.workers.zeroLiveSeconds)),
      (p.warnings ?? []).join(' | '),
      ...causes.map((c) => cell(m(res.causes[c.status]?.[c.cause]) ?? 0)),
    ];
  });
  return stringify([header, ...rows]);
}
