// sweep and size --given: the grid at each plausible point of an inference (one sweep per point,
// the same grid and seeds), and each grid point's figures across them: the worst point's mean and
// the range of the points' means, beside the pooled figures.
import type { ReplicationPool } from '../experiment/pool.js';
import { pointResult, Sweep, sweepResult, type SweepProgress, type SweepResult, type SweepSpec } from '../experiment/sweep.js';
import { num, table } from '../report/format.js';
import { shortPaths } from '../report/sweep-table.js';
import { acrossPoints, readGiven, type AcrossPoints, type Given } from './given.js';
import type { Point } from './unknowns.js';

export interface GivenSweepSection {
  file: string;
  plausible: number;
  points: Point[];
  /** Per grid point (grid order): each metric across the plausible points. */
  grid: { index: number; point: Record<string, unknown>; figures: AcrossPoints[] }[];
}

const METRICS = [
  { kind: 'per5min', status: '502' },
  { kind: 'per5min', status: '5xx' },
  { kind: 'latency', stat: 'p99' },
] as const;

/** One sweep per plausible point; `check` sees the first before anything runs (warnings, the work estimate). */
export async function givenSweeps(
  spec: SweepSpec,
  givenArg: string,
  pool: ReplicationPool,
  onProgress: (p: SweepProgress, phase: string) => void,
  check: (first: Sweep) => void,
): Promise<{ result: SweepResult; sweeps: Sweep[]; given: Given; plausible: number; replications: number }> {
  const given = readGiven(givenArg);
  const sweeps = given.sets.map((sets) => new Sweep({ ...spec, sets: [...spec.sets, ...sets] }));
  check(sweeps[0]!);
  let replications = 0;
  for (const [i, s] of sweeps.entries()) {
    const p = await s.ensure(
      s.points.map((pt) => ({ point: pt.index, n: spec.replications })),
      pool,
      (x) => onProgress(x, `plausible point ${i + 1}/${sweeps.length}`),
    );
    replications += p.total;
  }
  return { result: givenResult(sweeps, given, () => spec.replications), sweeps, given, plausible: given.points.length, replications };
}

/** The pooled sweep result with its `given` section; `repsOf(sweep, point)`: replications to use. */
export function givenResult(sweeps: readonly Sweep[], given: Given, repsOf: (sweep: number, point: number) => number): SweepResult {
  const result = sweepResult(sweeps[0]!, (i) => repsOf(0, i));
  const grid: GivenSweepSection['grid'] = [];
  result.points = sweeps[0]!.points.map((p) => {
    const perPoint = sweeps.map((s, k) => ({ point: given.points[k]!, reps: s.reps(p.index, repsOf(k, p.index)) }));
    grid.push({ index: p.index, point: p.values, figures: METRICS.map((m) => acrossPoints(m, perPoint, p.model.simulation.duration)) });
    return pointResult(p, perPoint.flatMap((x) => x.reps));
  });
  const section: GivenSweepSection = { file: given.file, plausible: given.plausible, points: given.points, grid };
  result.given = section;
  return result;
}

/** Each grid point across the plausible points: the worst point's mean and the range. */
export function givenSweepTable(r: SweepResult): string {
  const g = r.given as GivenSweepSection;
  const keys = r.vary.map((v) => v.path);
  const head = [...shortPaths(keys), ...METRICS.map((m) => `${m.kind === 'latency' ? 'p99 ms' : `${m.status}/5min`}: the points' means (worst last)`)];
  const rows = g.grid.map((row) => [
    ...keys.map((k) => String(row.point[k])),
    ...row.figures.map((f) => (Number.isFinite(f.highest.mean) ? `${num(f.lowest.mean)} to ${num(f.highest.mean)}` : '—')),
  ]);
  return [
    `across the plausible set of ${g.file}: ${g.points.length} of its ${g.plausible} points; the table after this one pools their replications`,
    table([head, ...rows]),
  ].join('\n');
}
