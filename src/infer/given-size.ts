// size --given: size the grid at each plausible point of an inference, and recommend only a grid
// point that meets every SLO at every plausible point (the cheapest such), or say at which
// plausible point the candidates fail.
import type { ReplicationPool } from '../experiment/pool.js';
import { byPreference, sizeFleet, type PointEval, type SizeOutcome } from '../experiment/size.js';
import type { Slo } from '../experiment/slo.js';
import { Sweep, type SweepProgress, type SweepSpec } from '../experiment/sweep.js';
import { num, table } from '../report/format.js';
import { perHour } from '../report/money.js';
import { shortPaths } from '../report/sweep-table.js';
import { readGiven, type Given } from './given.js';
import { givenResult } from './given-sweep.js';
import type { Point } from './unknowns.js';

export interface GivenSize {
  file: string;
  plausible: number;
  points: Point[];
  /** Grid points (their values) that meet every SLO at every plausible point. */
  meetsEverywhere: Record<string, unknown>[];
  /** The recommendation: the cheapest of those; null when none. */
  best: { point: Record<string, unknown>; costPerHour: number } | null;
  /** Per grid point: the plausible points where it fails, with the SLO it misses most there. */
  grid: { point: Record<string, unknown>; costPerHour: number; meetsAt: number; failsAt: { point: Point; slo: string; excess: number | null }[] }[];
  summary: string;
}

const words = (p: Record<string, unknown>) =>
  Object.entries(p)
    .map(([k, v]) => `${k.split('.').pop()}=${String(v)}`)
    .join(' ');

export async function givenSize(
  spec: SweepSpec,
  givenArg: string,
  slos: readonly Slo[],
  pool: ReplicationPool,
  maxReplications: number,
  onProgress: (p: SweepProgress, phase: string) => void,
  check: (first: Sweep) => void,
) {
  const given: Given = readGiven(givenArg);
  const sweeps = given.sets.map((sets) => new Sweep({ ...spec, sets: [...spec.sets, ...sets] }));
  check(sweeps[0]!);
  const outcomes: SizeOutcome[] = [];
  for (const [k, s] of sweeps.entries()) {
    outcomes.push(await sizeFleet(s, slos, { pool, maxReplications, onProgress: (p, phase) => onProgress(p, `plausible point ${k + 1}/${sweeps.length}: ${phase}`) }));
  }
  const currency = spec.prices.currency;
  const grid = sweeps[0]!.points.map((p) => {
    const evals = outcomes.map((o) => o.evals[p.index]!);
    const failsAt = evals
      .map((e, k) => ({ e, k }))
      .filter(({ e }) => !e.meets)
      .map(({ e, k }) => ({ point: given.points[k]!, slo: slos[e.worst]!.text, excess: Number.isFinite(e.excess[e.worst]!) ? e.excess[e.worst]! : null }));
    return { point: p.values, costPerHour: p.cost.costPerHour, meetsAt: evals.length - failsAt.length, failsAt, eval: evals[0]! };
  });
  const everywhere = grid.filter((g) => g.failsAt.length === 0);
  const pick = everywhere.map((g) => g.eval).sort(byPreference)[0] as PointEval | undefined;
  const bestRow = pick ? grid.find((g) => g.eval.index === pick.index)! : undefined;
  let summary: string;
  if (bestRow) {
    summary = `across the ${given.points.length} plausible points of ${given.file}: ${words(bestRow.point)} meets every SLO at every one, at ${perHour(bestRow.costPerHour, currency)}; the cheapest grid point that does`;
  } else {
    // The grid point that meets at the most plausible points (cheapest first), and where it fails.
    const most = [...grid].sort((a, b) => b.meetsAt - a.meetsAt || byPreference(a.eval, b.eval))[0]!;
    const f = most.failsAt[0]!;
    summary =
      `across the ${given.points.length} plausible points of ${given.file}: no grid point meets every SLO at every one; ` +
      `the closest, ${words(most.point)} (${perHour(most.costPerHour, currency)}), meets at ${most.meetsAt} of ${given.points.length} and fails at ${words(f.point)} (${f.slo}${f.excess !== null ? `, ${num(f.excess * 100)}% over` : ''})`;
  }
  const result = givenResult(sweeps, given, (k, i) => outcomes[k]!.evals[i]!.replications);
  const section: GivenSize = {
    file: given.file,
    plausible: given.plausible,
    points: given.points,
    meetsEverywhere: everywhere.map((g) => g.point),
    best: bestRow ? { point: bestRow.point, costPerHour: bestRow.costPerHour } : null,
    grid: grid.map(({ eval: _e, ...g }) => g),
    summary,
  };
  return { section, outcomes, sweeps, result, bestIndex: pick?.index };
}

export function givenSizeTable(g: GivenSize, keys: readonly string[], currency: string): string {
  const head = [...shortPaths(keys), 'cost', `meets at (of ${g.points.length})`, 'fails at (the SLO it misses most there)'];
  const rows = g.grid.map((r) => [
    ...keys.map((k) => String(r.point[k])),
    perHour(r.costPerHour, currency),
    String(r.meetsAt),
    r.failsAt.length === 0 ? '—' : `${words(r.failsAt[0]!.point)} (${r.failsAt[0]!.slo})${r.failsAt.length > 1 ? ` and ${r.failsAt.length - 1} more` : ''}`,
  ]);
  return `${g.summary}\n\n${table([head, ...rows])}`;
}
