// The analytic cross-check printed beside the simulated figures (see experiment/analytic.ts).
import type { RunResult } from '../experiment/run-experiment.js';
import { docText, type Doc } from './doc.js';
import { figure, num, pct } from './format.js';

export function analyticLines(r: RunResult): string {
  const doc = analyticDoc(r);
  // The terminal indents the table under its heading.
  return doc.map((p) => (typeof p === 'string' ? p : docText([{ table: p.table.map((row) => row.map((c, i) => (i === 0 ? `  ${c}` : c))) }]))).join('\n');
}

/** The same, as parts: report.html draws the table as HTML. */
export function analyticDoc(r: RunResult): Doc {
  const a = r.analytic;
  if (!a) return [''];
  if (a.method === null && a.servers === null) return [`analytic cross-check: none applies (${a.note})`];
  const head = `analytic cross-check (${a.note}):`;
  const detail =
    `  λ = ${num(a.lambdaPerContainer)}/s per container, service ${num(a.serviceMs)} ms (Cs² ${num(a.serviceScv, 2)}), ` +
    `offered load ${num(a.utilization, 3)} per worker, CPU ${num(a.cpuUtilization === null ? null : a.cpuUtilization * 100, 3)}% of the vCPUs`;
  if (!a.stable) return [head, detail, '  no steady state in the formula: the simulation shows what happens instead'];
  const rows: string[][] = [['', 'simulated', 'analytic']];
  const sync = a.method === 'erlang-c' || a.method === 'mmck';
  if (sync) {
    const carried = a.utilization! * (1 - (a.lossProbability ?? 0));
    rows.push(['worker utilization', pct(r.utilization.workers), `${(carried * 100).toFixed(1)}%`]);
    rows.push(['P(wait)', figure(r.queueWaitProbability), num(a.waitProbability)]);
    rows.push(['mean queue wait (ms)', figure(r.queueWaitMs.mean), num(a.queueWaitMs)]);
  } else {
    rows.push(['P(wait for the process)', '', num(a.waitProbability)]);
    rows.push(['mean wait for the process (ms)', '', num(a.queueWaitMs)]);
  }
  rows.push(['mean latency (ms)', figure(r.latencyMs.mean), num(a.latencyMs)]);
  if (a.per5min502 !== null) rows.push(['502 per 5 min', figure(r.per5min['502']!), num(a.per5min502)]);
  return [head, detail, { table: rows }];
}
