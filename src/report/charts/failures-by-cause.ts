// Failures by balancer status and cause, per 5 minutes, with their 95% intervals: one bar per
// cause (and per run when runs are compared). It answers "what fails, and why?".
import type { RunResult } from '../../experiment/run-experiment.js';
import { num } from '../format.js';
import { CONFIG, SCHEMA, STATUS_COLOURS, chartTitle, finite, type Chart, type Origin } from './spec.js';

export interface LabelledRun {
  label: string;
  result: RunResult;
}

export function failuresByCauseChart(runs: readonly LabelledRun[], origin: Origin): Chart {
  const rows = runs.flatMap(({ label, result }) => {
    const per5 = 300 / result.simulatedSeconds;
    return Object.entries(result.causes).flatMap(([status, byCause]) =>
      Object.entries(byCause)
        .filter(([, f]) => finite(f.mean) && f.mean > 0)
        .map(([cause, f]) => ({
          run: label,
          status,
          cause: `${status} ${cause}`,
          per5min: f.mean! * per5,
          lo: (finite(f.ci95[0]) ? Math.max(0, f.ci95[0]) : f.mean!) * per5,
          hi: (finite(f.ci95[1]) ? f.ci95[1] : f.mean!) * per5,
          text: num(f.mean! * per5),
        })),
    );
  });
  // Nothing failed: per status, none seen, with the 95% upper bound the replications allow (rare
  // events get intervals, never a bare zero).
  if (rows.length === 0) {
    for (const { label, result } of runs) {
      for (const [status, f] of Object.entries(result.per5min)) {
        if (status === '2xx') continue;
        const hi = finite(f.ci95[1]) ? f.ci95[1] : 0;
        rows.push({ run: label, status, cause: `${status}: none seen`, per5min: 0, lo: 0, hi, text: `0 (at most ${num(hi)})` });
      }
    }
  }
  const quiet = runs.filter(({ label }) => !rows.some((r) => r.run === label && r.per5min > 0)).map((r) => r.label);
  const causes = [...new Set(rows.map((r) => r.cause))].sort((a, b) => a.localeCompare(b));
  const many = runs.length > 1;
  const title = 'Failures per 5 minutes, by balancer status and cause';
  const y = { field: 'cause', type: 'nominal' as const, title: null, sort: causes, axis: { labelLimit: 220 }, scale: { paddingInner: 0.25, paddingOuter: 0.1 } };
  // Room right of the longest whisker for its value.
  const top = Math.max(1, ...rows.map((r) => r.hi)) * 1.22;
  const x = { type: 'quantitative' as const, title: 'failures (per 5 minutes)', scale: { domain: [0, top], nice: false }, axis: { tickCount: 6 } };
  const statuses = [...new Set(rows.map((r) => r.status))].sort();
  const colour = many
    ? { field: 'run', type: 'nominal' as const, title: null, sort: runs.map((r) => r.label), legend: { orient: 'bottom' as const, labelLimit: 260, columns: 1 } }
    : { field: 'status', type: 'nominal' as const, title: 'status', scale: { domain: statuses, range: statuses.map((s) => STATUS_COLOURS[s] ?? '#888') } };
  const offset = many ? { yOffset: { field: 'run', type: 'nominal' as const, sort: runs.map((r) => r.label) } } : {};
  const none = quiet.length ? `no failures in ${quiet.join(', ')}` : '';
  return {
    id: 'failures-by-cause',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(title, 'What fails, and why?', origin, 'bars: means over the replications; whiskers: 95% intervals', none),
      width: 480,
      height: { step: many ? 12 * runs.length + 8 : 22 },
      data: { values: rows },
      encoding: { y, ...offset },
      layer: [
        { mark: { type: 'bar', height: { band: 0.8 } }, encoding: { x: { field: 'per5min', ...x }, color: colour } },
        { mark: { type: 'rule', color: '#333' }, encoding: { x: { field: 'lo', ...x }, x2: { field: 'hi' } } },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#333' }, encoding: { x: { field: 'hi', ...x }, text: { field: 'text' } } },
      ],
    } as Chart['spec'],
  };
}
