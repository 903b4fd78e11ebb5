// The result of `capsim run` as a table for people: statuses with their intervals, the causes
// behind each failure, latency, queue wait, and what the workers went through.
import type { RunResult } from '../experiment/run-experiment.js';
import { STATUSES } from '../model/outcome.js';
import { answerLine } from './answer-line.js';
import { docText, type Doc } from './doc.js';
import { duration, figure, pct } from './format.js';

export function runTable(r: RunResult, warmup: number): string {
  return docText(runTableDoc(r, warmup));
}

/** The same, as parts: report.html draws the tables as HTML. */
export function runTableDoc(r: RunResult, warmup: number): Doc {
  const out: Doc = [answerLine(r)];
  out.push(
    `${r.model}: ${r.replications} replication${r.replications === 1 ? '' : 's'} × ${duration(r.simulatedSeconds)}` +
      (warmup > 0 ? ` (after ${duration(warmup)} warmup)` : '') +
      `, seed ${r.seed}; intervals are 95% CIs over replications`,
  );
  out.push('');
  out.push(`requests per replication: ${figure(r.requests, 4)}`);
  out.push('');
  const rows: string[][] = [['status', 'per replication', 'per 5 min']];
  for (const key of STATUSES) rows.push([key, figure(r.status[key]!), figure(r.per5min[key]!)]);
  out.push({ table: rows });

  const causeRows: string[][] = [];
  for (const status of STATUSES.slice(1)) {
    for (const [name, f] of Object.entries(r.causes[status]!)) {
      if (f.mean !== null && f.mean > 0) causeRows.push([`${status} ${name}`, figure(f)]);
    }
  }
  out.push('');
  if (causeRows.length > 0) {
    out.push({ table: [['failures by cause', 'per replication'], ...causeRows] });
  } else {
    out.push('failures by cause: none seen');
  }

  out.push('');
  const l = r.latencyMs;
  out.push({
    table: [
      ['(ms)', 'mean', 'p50', 'p95', 'p99', 'max'],
      ['latency of 2xx', figure(l.mean), figure(l.p50), figure(l.p95), figure(l.p99), figure(l.max)],
      ['queue wait', figure(r.queueWaitMs.mean), '', figure(r.queueWaitMs.p95), '', ''],
    ],
  });
  // Connections that needed retransmitted SYNs (a full accept queue dropped the earlier ones):
  // each retransmission added a second or more to the request.
  const atSyn = r.connectedAtSyn ?? [];
  if (atSyn.slice(1).some((f) => f.mean !== null && f.mean > 0)) {
    let last = atSyn.length - 1;
    while (last > 0 && !(atSyn[last]!.mean! > 0)) last--;
    const rows = atSyn.slice(0, last + 1).map((f, k) => [k === 0 ? 'at the first SYN' : `after ${k} retransmitted SYN${k === 1 ? '' : 's'} (+${k === 1 ? 'a second' : `${k} s`} or more)`, figure(f)]);
    out.push('');
    out.push({ table: [['new connections in', 'per replication'], ...rows] });
  }
  out.push('');
  const w = r.workers;
  const kills = Object.entries(w.sigkills)
    .filter(([k, f]) => k !== 'total' && f.mean !== null && f.mean > 0)
    .map(([k, f]) => `${k} ${figure(f)}`);
  out.push({
    table: [
      ['workers', 'per replication'],
      ['recycles', figure(w.recycles)],
      ['respawns', figure(w.respawns)],
      ['SIGKILLs', figure(w.sigkills['total']!) + (kills.length > 0 ? `  (${kills.join(', ')})` : '')],
      ['mercy exits (requests lost, no SIGKILL)', figure(w.mercyExits)],
      ['seconds with no live worker', figure(w.zeroLiveSeconds)],
    ],
  });
  out.push('');
  out.push(
    // The worker processes first: a process whose one Python thread is always taken is the
    // saturation a planner sizes against (util in --slo; the mean is size's guard).
    `utilization: worker processes ${pct(r.utilization.process)} (busiest ${pct(r.utilization.processBusiest)}), CPU ${pct(r.utilization.cpu)}, worker contexts ${pct(r.utilization.workers)}` +
      (r.utilization.memory.mean === null ? '' : `, task memory ${pct(r.utilization.memory)} on average (peak ${pct(r.mechanisms['memoryPeak']!)})`),
  );
  return out;
}
