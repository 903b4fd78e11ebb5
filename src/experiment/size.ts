// Sizing: the cheapest point of a sweep that meets every SLO.
//
//   1. Every point runs the sweep's replications.
//   2. A point's verdict on an SLO is "meets" when the estimate (the mean) is within the limit,
//      and certain when the whole 95% interval is on the same side. A point clearly meets when
//      every SLO is certainly met, clearly fails when some SLO is certainly missed, and is close
//      otherwise.
//   3. Close points that could still be the answer (no dearer than the cheapest point that
//      clearly meets) run again with twice the replications, then twice again, up to
//      --max-replications; replications already run are kept (replication r is the same
//      computation whatever the count), so a rerun only adds.
//   4. Among the points that meet every SLO (by their estimates), the cheapest wins. Points that
//      tie at that cost each get their load margin (load-margin.ts: found by simulation) and the
//      one with the most margin wins; equal margins go to fewer containers, then fewer workers,
//      then the earlier grid point. A winner that is still close says how sure it is: P(meets)
//      from a normal approximation to each interval, multiplied over the SLOs.
//   4b. The winner's load margin: how much more traffic it takes before an SLO or guard breaks.
//   4c. The model as it stands ("today"), judged the same way: a grid point when one is the same
//      model, otherwise run with the first pass's replications.
//   5. The Pareto front of cost per hour against the failure rate (every 5xx status: a fleet
//      shedding load with 504s fails as surely as one resetting connections with 502s): each
//      point on it fails less than every cheaper point.
//   6. When no point meets every SLO, the closest is the one whose largest excess over any SLO
//      or guard, relative to its limit, is smallest (closestPoint): a distance the answer states.
import type { Model } from '../scenario/model-types.js';
import { loadMargin, type LoadMargin } from './load-margin.js';
import { estimate, type Estimate } from './metrics.js';
import type { ReplicationPool } from './pool.js';
import type { FleetCost } from './prices.js';
import type { ReplicationResult } from './replication.js';
import { judge, type Slo, type SloVerdict } from './slo.js';
import { modelHash, type Sweep, type SweepPoint, type SweepProgress } from './sweep.js';

export interface PointEval {
  index: number;
  replications: number;
  costPerHour: number;
  containers: number;
  workers: number;
  verdicts: SloVerdict[];
  /** Every SLO met by its estimate. */
  meets: boolean;
  /** The verdict holds at 95% (clearly meets, or clearly fails some SLO). */
  certain: boolean;
  /** Rough probability that the point meets every SLO. */
  pMeets: number;
  rate502: Estimate;
  /** Every failure (500, 502, 503, 504) as a share of requests. */
  rate5xx: Estimate;
  /** Mean busy fraction of the worker processes (the util guard's figure). */
  util: Estimate;
  /**
   * Per SLO (guards included), how far the estimate is beyond its limit, relative to the limit:
   * 0.38 is 38% above, -0.12 a 12% margin. A limit of 0 missed, or nothing measured, is Infinity.
   */
  excess: number[];
  /** The SLO with the largest excess: the point's distance to meeting them all. */
  worst: number;
}

/** Costs equal to a billionth of a cent are equal (floating sums of prices). */
export const costKey = (c: number): number => Math.round(c * 1e9);

export function evaluatePoint(p: SweepPoint, sweep: Sweep, slos: readonly Slo[], n: number): PointEval {
  return evaluateReps(p.index, p.model, p.cost, sweep.reps(p.index, n), slos);
}

/** A point's verdicts from its replications (index −1: a model outside the grid, such as today's). */
export function evaluateReps(index: number, model: Model, cost: FleetCost, reps: readonly ReplicationResult[], slos: readonly Slo[]): PointEval {
  const n = reps.length;
  const seconds = model.simulation.duration;
  const verdicts = slos.map((s) => judge(s, reps, seconds));
  const meets = verdicts.every((v) => v.meets);
  const certain = meets ? verdicts.every((v) => v.certain) : verdicts.some((v) => !v.meets && v.certain);
  const excess = verdicts.map((v, i) => relativeExcess(v, slos[i]!));
  const worst = excess.reduce((w, x, i) => (x > excess[w]! ? i : w), 0);
  return {
    excess,
    worst,
    index,
    replications: n,
    costPerHour: cost.costPerHour,
    containers: model.fleet.containers,
    workers: model.fleet.server.workers,
    verdicts,
    meets,
    certain,
    pMeets: verdicts.reduce((a, v) => a * v.pMeets, 1),
    rate502: estimate({ kind: 'rate', status: '502' }, reps, seconds),
    rate5xx: estimate({ kind: 'rate', status: '5xx' }, reps, seconds),
    util: estimate({ kind: 'util', of: 'mean' }, reps, seconds),
  };
}

/** (estimate − limit) / limit; for a limit of 0, 0 when met and Infinity when not. */
export function relativeExcess(v: SloVerdict, s: Slo): number {
  const x = v.estimate.mean;
  if (!Number.isFinite(x)) return Infinity;
  if (s.threshold === 0) return x > 0 || (s.op === '<' && x >= 0) ? Infinity : 0;
  return (x - s.threshold) / s.threshold;
}

/**
 * The point closest to meeting every SLO: the smallest largest excess (the next largest breaks a
 * tie, then cost and grid order). A stated distance, unlike the likeliest point, which would
 * favour the widest interval.
 */
export function closestPoint<T extends Rankable & { excess: number[] }>(points: readonly T[]): T | undefined {
  const key = (e: T) => [...e.excess].sort((a, b) => b - a);
  return [...points].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
      const x = ka[i] ?? -Infinity;
      const y = kb[i] ?? -Infinity;
      if (x !== y) return x < y ? -1 : 1;
    }
    return byPreference(a, b);
  })[0];
}

type Rankable = Pick<PointEval, 'index' | 'costPerHour' | 'containers' | 'workers'>;

/** Order for choosing: cost, then fewer containers, then fewer workers, then grid order. */
export function byPreference(a: Rankable, b: Rankable): number {
  return costKey(a.costPerHour) - costKey(b.costPerHour) || a.containers - b.containers || a.workers - b.workers || a.index - b.index;
}

/** The cheapest point that meets every SLO (ties as in byPreference), or undefined. */
export function pickBest<T extends Rankable & { meets: boolean }>(points: readonly T[]): T | undefined {
  return points.filter((p) => p.meets).sort(byPreference)[0];
}

/** Cost against the failure rate (all 5xx): the points that fail less than every cheaper point. */
export function paretoFront<T extends Rankable & { rate5xx: { mean: number } }>(points: readonly T[]): T[] {
  const sorted = points
    .filter((p) => Number.isFinite(p.rate5xx.mean))
    .sort((a, b) => costKey(a.costPerHour) - costKey(b.costPerHour) || a.rate5xx.mean - b.rate5xx.mean || byPreference(a, b));
  const front: T[] = [];
  let best = Infinity;
  for (const p of sorted) {
    if (p.rate5xx.mean < best) {
      front.push(p);
      best = p.rate5xx.mean;
    }
  }
  return front;
}

export interface SizeOutcome {
  evals: PointEval[];
  best: PointEval | undefined;
  pareto: PointEval[];
  /** Rerun rounds: which points got how many replications. */
  reruns: { round: number; points: number[]; replications: number[] }[];
  /** The cheaper point that came closest (for "why not cheaper"). */
  cheaper: PointEval | undefined;
  /** More containers and fewer workers than the best: the alternative a planner weighs. */
  tradeoff: PointEval | undefined;
  /** When no point meets every SLO: the one with the smallest largest excess (closestPoint). */
  closest: PointEval | undefined;
  /** The best point's load margin (undefined without a best, or when not asked for). */
  margin: LoadMargin | undefined;
  /** Points that tied with the best at its cost, and their margins: the best has the most. */
  tie: { index: number; margin: LoadMargin }[];
  /** The model as it stands, judged against the same SLOs; `point`: the grid point it is, if any. */
  today: (PointEval & { point: number | null }) | undefined;
  /** Fixes named by the model's warnings that were added to the grid as candidates. */
  fixes: TriedFix[];
}

/** A fix a model warning names, tried as a candidate: the grid varies `path` over [today's value, value]. */
export interface TriedFix {
  path: string;
  value: string;
  warning: string;
}

export interface SizeOptions {
  pool: ReplicationPool;
  /** Most replications a close point may get. */
  maxReplications: number;
  onProgress?: (p: SweepProgress, phase: string) => void;
  /** Find the best point's load margin by simulation (default true). */
  margin?: boolean;
  /** The model as it stands, to compare with (`capsim size` passes the base model). */
  today?: { model: Model; cost: FleetCost };
  /** Fixes the command added to the grid (reported with the answer). */
  fixes?: TriedFix[];
}

/** At most this many points tied at the best's cost get a margin search (the least busy first). */
export const MAX_TIED_MARGINS = 4;

export async function sizeFleet(sweep: Sweep, slos: readonly Slo[], o: SizeOptions): Promise<SizeOutcome> {
  const R = sweep.spec.replications;
  const n = sweep.points.map(() => R);
  await sweep.ensure(
    sweep.points.map((p) => ({ point: p.index, n: R })),
    o.pool,
    (p) => o.onProgress?.(p, 'sweep'),
  );
  const evalAll = () => sweep.points.map((p) => evaluatePoint(p, sweep, slos, n[p.index]!));
  let evals = evalAll();
  const reruns: SizeOutcome['reruns'] = [];
  for (let round = 1; ; round++) {
    const clear = evals.filter((e) => e.meets && e.certain).sort(byPreference)[0];
    const limit = clear ? costKey(clear.costPerHour) : Infinity;
    const close = evals.filter((e) => !e.certain && costKey(e.costPerHour) <= limit && n[e.index]! < o.maxReplications);
    if (close.length === 0) break;
    for (const e of close) n[e.index] = Math.min(o.maxReplications, n[e.index]! * 2);
    reruns.push({ round, points: close.map((e) => e.index), replications: close.map((e) => n[e.index]!) });
    await sweep.ensure(
      close.map((e) => ({ point: e.index, n: n[e.index]! })),
      o.pool,
      (p) => o.onProgress?.(p, `rerun ${round}`),
    );
    evals = evalAll();
  }
  let best = pickBest(evals);
  const marginOf = async (model: Model, label: string) =>
    loadMargin(model, slos, {
      pool: o.pool,
      replications: R,
      onProgress: (done, total, percent) => o.onProgress?.({ total, done, points: 1, pointsDone: 0, pointsReused: 0 }, `margin of ${label} at +${percent}%`),
    });
  let margin: LoadMargin | undefined;
  const tie: SizeOutcome['tie'] = [];
  if (best && o.margin !== false) {
    const b = best;
    const tied = evals
      .filter((e) => e.meets && costKey(e.costPerHour) === costKey(b.costPerHour))
      .sort((x, y) => x.util.mean - y.util.mean || byPreference(x, y))
      .slice(0, MAX_TIED_MARGINS);
    if (tied.length > 1) {
      for (const e of tied) tie.push({ index: e.index, margin: await marginOf(sweep.points[e.index]!.model, `point ${e.index + 1}`) });
      const held = (m: LoadMargin) => (m.breaksAt === null ? Infinity : (m.holds ?? -1));
      tie.sort((x, y) => held(y.margin) - held(x.margin) || byPreference(evals[x.index]!, evals[y.index]!));
      best = evals[tie[0]!.index]!;
      margin = tie[0]!.margin;
    } else margin = await marginOf(sweep.points[b.index]!.model, 'the best point');
  }
  let today: SizeOutcome['today'];
  if (o.today) {
    const hash = modelHash(o.today.model);
    const same = sweep.points.find((p) => p.hash === hash);
    if (same) today = { ...evals[same.index]!, point: same.index };
    else {
      let done = 0;
      const reps = await o.pool.run(
        Array.from({ length: R }, (_, r) => ({ model: o.today!.model, replication: r })),
        () => o.onProgress?.({ total: R, done: ++done, points: 1, pointsDone: 0, pointsReused: 0 }, 'today'),
      );
      today = { ...evaluateReps(-1, o.today.model, o.today.cost, reps, slos), point: null };
    }
  }
  return {
    margin,
    tie,
    today,
    fixes: o.fixes ?? [],
    evals,
    best,
    pareto: paretoFront(evals),
    reruns,
    cheaper: best && cheaperNeighbour(best, evals),
    tradeoff: best && tradeoff(best, evals, sweep),
    closest: best ? undefined : closestPoint(evals),
  };
}

/** Among points cheaper than the best (none of which meets), the dearest; ties to the likeliest. */
function cheaperNeighbour(best: PointEval, evals: readonly PointEval[]): PointEval | undefined {
  const b = costKey(best.costPerHour);
  return evals
    .filter((e) => costKey(e.costPerHour) < b)
    .sort((x, y) => costKey(y.costPerHour) - costKey(x.costPerHour) || y.pMeets - x.pMeets || byPreference(x, y))[0];
}

/**
 * "One more container instead of N more workers": the points with the next container count in
 * the grid above the best's, fewer workers, and every other varied value as the best's. The one
 * with the fewest workers that meets every SLO; if none meets, the one with the most workers.
 */
function tradeoff(best: PointEval, evals: readonly PointEval[], sweep: Sweep): PointEval | undefined {
  const bp = sweep.points[best.index]!;
  const others = Object.keys(bp.texts).filter((k) => k !== 'fleet.containers' && k !== 'fleet.server.workers');
  const same = (e: PointEval) => others.every((k) => sweep.points[e.index]!.texts[k] === bp.texts[k]);
  const more = evals.filter((e) => e.containers > best.containers && same(e));
  if (more.length === 0) return undefined;
  const next = Math.min(...more.map((e) => e.containers));
  const cands = more.filter((e) => e.containers === next && e.workers < best.workers);
  const meeting = cands.filter((e) => e.meets).sort((a, b) => a.workers - b.workers || a.index - b.index);
  if (meeting.length > 0) return meeting[0];
  return cands.sort((a, b) => b.workers - a.workers || a.index - b.index)[0];
}
