// Failures by cause as stacked bars: one bar per status (500, 502, 503, 504) and run, the
// causes stacked in it, per 5 minutes.
import type { RunResult } from '../../experiment/run-experiment.js';
import { CONFIG, SCHEMA, finite, type Chart } from './spec.js';

export interface LabelledRun {
  label: string;
  result: RunResult;
}

export function failuresByCauseChart(runs: readonly LabelledRun[]): Chart {
  const rows = runs.flatMap(({ label, result }) => {
    const per5 = 300 / result.simulatedSeconds;
    return Object.entries(result.causes).flatMap(([status, byCause]) =>
      Object.entries(byCause)
        .filter(([, f]) => finite(f.mean) && f.mean > 0)
        .map(([cause, f]) => ({ run: label, status, cause: `${status} ${cause}`, per5min: f.mean! * per5 })),
    );
  });
  // Every run appears, even one without failures (an empty bar says "none").
  for (const { label } of runs) if (!rows.some((r) => r.run === label)) rows.push({ run: label, status: '502', cause: 'none', per5min: 0 });
  const title = runs.length === 1 ? 'Failures by cause' : 'Failures by cause, per run';
  return {
    id: 'failures-by-cause',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: { text: title, subtitle: 'means per 5 minutes over the replications' },
      width: Math.max(200, Math.min(640, 90 * runs.length)),
      height: 260,
      data: { values: rows },
      mark: 'bar',
      encoding: {
        x: { field: 'run', type: 'nominal', title: null, sort: runs.map((r) => r.label), axis: { labelAngle: runs.length > 3 ? -30 : 0, labelLimit: 220 } },
        y: { field: 'per5min', type: 'quantitative', title: 'failures per 5 minutes', stack: 'zero' },
        color: { field: 'cause', type: 'nominal', title: 'status and cause', scale: { scheme: 'set1' } },
        tooltip: [{ field: 'cause' }, { field: 'per5min', format: '.3g' }],
      },
    },
  };
}
