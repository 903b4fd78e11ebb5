// The table `capsim sweep` prints: one row per point.
import type { SweepPointResult, SweepResult } from '../experiment/sweep.js';
import { STATUSES } from '../model/outcome.js';
import { docText, type Doc } from './doc.js';
import { dominantCause } from './dominant-cause.js';
import { duration, figure, num } from './format.js';
import { perHour } from './money.js';

/** Column headers for varied paths: the last segment, or more when two would look the same. */
export function shortPaths(paths: readonly string[]): string[] {
  const segs = paths.map((p) => p.split('.'));
  const out = segs.map((s) => s[s.length - 1]!);
  for (let depth = 2; depth <= 8; depth++) {
    const dup = out.filter((x, i) => out.indexOf(x) !== i);
    if (dup.length === 0) break;
    segs.forEach((s, i) => {
      if (dup.includes(out[i]!)) out[i] = s.slice(-depth).join('.');
    });
  }
  return out;
}

/** The failure cause with the most requests per replication at a point: "502 backlog-overflow". */
export function mainCause(p: SweepPointResult): string {
  const d = dominantCause(p.result);
  return d ? `${d.status} ${d.cause}` : '—';
}

/** SIGKILLs per replication, with the reasons that occurred: "31 (oom 31)"; a point that kills never looks healthy. */
export function killsCell(p: SweepPointResult): string {
  const k = p.result.workers.sigkills;
  const total = k['total']?.mean ?? 0;
  if (!total) return '0';
  const why = Object.entries(k)
    .filter(([name, f]) => name !== 'total' && (f.mean ?? 0) > 0)
    .map(([name, f]) => `${name} ${num(f.mean!)}`);
  return `${num(total)} (${why.join(', ')})`;
}

export function rate(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  return `${num(x * 100, 2)}%`;
}

export function sweepTable(r: SweepResult): string {
  return docText(sweepTableDoc(r));
}

/** The same, as parts: report.html draws the table as HTML. */
export function sweepTableDoc(r: SweepResult): Doc {
  const paths = r.vary.map((v) => v.path);
  const heads = shortPaths(paths);
  const rows: string[][] = [[...heads, 'reps', 'cost', '502 per 5 min', '5xx rate', 'p99 ms', 'mean ms', 'analytic ms', 'util', 'SIGKILLs', 'main cause']];
  for (const p of r.points) {
    const res = p.result;
    const requests = res.requests.mean;
    const failed = STATUSES.slice(1).reduce((a, s) => a + (res.status[s]!.mean ?? 0), 0);
    rows.push([
      ...paths.map((k) => String(p.point[k])),
      String(p.replications),
      perHour(p.costPerHour, r.prices.currency) + (p.validSize === false ? '*' : ''),
      figure(res.per5min['502']!),
      rate(requests ? failed / requests : null),
      num(res.latencyMs.p99.mean),
      num(res.latencyMs.mean.mean),
      res.analytic.stable ? num(res.analytic.latencyMs) : '—',
      rate(res.utilization.process?.mean ?? null),
      killsCell(p),
      mainCause(p),
    ]);
  }
  const out: Doc = [
    `${r.model}: ${r.points.length} point${r.points.length === 1 ? '' : 's'} × ${r.replications} replication${r.replications === 1 ? '' : 's'} × ${duration(r.simulatedSeconds)}` +
      (r.warmupSeconds > 0 ? ` (after ${duration(r.warmupSeconds)} warmup)` : '') +
      `, seed ${r.seed}; common random numbers across points; intervals are 95% CIs`,
    `cost: ${r.prices.table} (${r.prices.arch}, ${r.prices.date}) per container-task: vCPU × ${r.prices.vcpuHour}/h + memory ${r.prices.memoryUnit === 'GiB' ? 'GiB' : 'GB'} × ${r.prices.gbHour}/h`,
    '',
    { table: rows },
  ];
  if (r.points.some((p) => p.validSize === false || p.costNote)) {
    const notes = [...new Set(r.points.map((p) => p.costNote).filter((n): n is string => n !== null))];
    out.push('', ...notes.map((n) => `* ${n}`));
  }
  out.push('', 'analytic ms: closed-form mean latency (Erlang C / M/M/c/K / Allen-Cunneen, see docs/experiments.md); — where none applies');
  out.push('util: how busy the worker processes are, mean over the fleet (each one\'s Python thread, or all its contexts, taken); size guards it at 80%');
  return out;
}
