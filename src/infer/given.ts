// --given FILE on run, sweep and size: answer over the points `capsim infer` did not rule out,
// so that an interval includes what is not known (which of the plausible worlds is the real one)
// as well as the replications' noise, said apart.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ExperimentInputError } from '../experiment/errors.js';
import { estimate, metricName, type MetricSpec } from '../experiment/metrics.js';
import type { ReplicationResult } from '../experiment/replication.js';
import { num } from '../report/format.js';
import { INFER_FORMAT, type InferAnswer } from './answer.js';
import { pointSets, type Point } from './unknowns.js';

/** The plausible points an answer is computed over, at most: spread over the set (see spreadOut). */
export const MAX_GIVEN_POINTS = 8;

export interface Given {
  file: string;
  /** The points used (at most MAX_GIVEN_POINTS of the plausible set), and how many it had. */
  points: Point[];
  plausible: number;
  /** Each point's --set overrides. */
  sets: string[][];
}

const FORM = 'the JSON `capsim infer --json` prints, or the infer.json its --out DIR holds';

export function readGiven(arg: string): Given {
  const file = existsSync(arg) && statSync(arg).isDirectory() ? path.join(arg, 'infer.json') : arg;
  let a: Partial<InferAnswer>;
  try {
    a = JSON.parse(readFileSync(file, 'utf8')) as Partial<InferAnswer>;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message.split('\n')[0] : String(e));
    throw new ExperimentInputError(`--given ${file}: cannot read it (${why}); expected ${FORM}`);
  }
  if (a?.format !== INFER_FORMAT) throw new ExperimentInputError(`--given ${file}: format: ${JSON.stringify(a?.format)}, not "${INFER_FORMAT}"; expected ${FORM}`);
  if (!Array.isArray(a.plausible)) throw new ExperimentInputError(`--given ${file}: plausible: missing; expected ${FORM}`);
  if (a.plausible.length === 0) {
    throw new ExperimentInputError(`--given ${file}: plausible: empty: the inference found that nothing fits (${a.unmet ? `"${a.unmet.observation}" unmet` : 'every point ruled out'}); there is no plausible point to answer over`);
  }
  const points = spreadOut(
    a.plausible.map((p) => p.point),
    MAX_GIVEN_POINTS,
  );
  return { file, points, plausible: a.plausible.length, sets: points.map(pointSets) };
}

/**
 * At most `n` of the points, spread over the set (the extremes matter more than a crowd in the
 * middle): the first (the lowest implausibility), then each time the one farthest from those
 * chosen, distances per key scaled to the set's own span (a list's levels: 0 or 1 apart).
 */
export function spreadOut(points: readonly Point[], n: number): Point[] {
  if (points.length <= n) return [...points];
  const keys = Object.keys(points[0]!);
  const span = keys.map((k) => {
    const xs = points.map((p) => p[k]).filter((v): v is number => typeof v === 'number');
    return xs.length === points.length ? { lo: Math.min(...xs), w: Math.max(...xs) - Math.min(...xs) || 1 } : null;
  });
  const numeric = (p: Point, j: number) => {
    const v = p[keys[j]!]!;
    if (span[j]) return ((v as number) - span[j]!.lo) / span[j]!.w;
    const t = String(v);
    const m = /^([0-9.eE+-]+)\s*([A-Za-zµμ]*)$/.exec(t);
    return m ? Number(m[1]) : NaN;
  };
  // Strings with units ("120us"): scale by their own span too.
  const raw = points.map((p) => keys.map((_, j) => numeric(p, j)));
  const scale = keys.map((_, j) => {
    if (span[j]) return { lo: 0, w: 1 };
    const xs = raw.map((r) => r[j]!).filter(Number.isFinite);
    return xs.length === points.length ? { lo: Math.min(...xs), w: Math.max(...xs) - Math.min(...xs) || 1 } : null;
  });
  const dist = (a: number, b: number) =>
    Math.sqrt(
      keys.reduce((s, k, j) => {
        const c = scale[j];
        const d = c ? (raw[a]![j]! - raw[b]![j]!) / c.w : points[a]![k] === points[b]![k] ? 0 : 1;
        return s + d * d;
      }, 0),
    );
  const chosen = [0];
  const nearest = points.map((_, i) => dist(i, 0));
  while (chosen.length < n) {
    let far = -1;
    for (let i = 0; i < points.length; i++) if (!chosen.includes(i) && (far < 0 || nearest[i]! > nearest[far]!)) far = i;
    chosen.push(far);
    for (let i = 0; i < points.length; i++) nearest[i] = Math.min(nearest[i]!, dist(i, far));
  }
  return chosen.sort((a, b) => a - b).map((i) => points[i]!);
}

export interface AcrossPoints {
  metric: string;
  /** All points' replications pooled: the mean over the plausible set. */
  mean: number;
  /** From the lowest point's 95% lower bound to the highest's upper bound: unknowns and noise together. */
  lo: number;
  hi: number;
  /** The points' own means: the spread the unknowns make. */
  lowest: { mean: number; point: Point };
  highest: { mean: number; point: Point };
  /** The replications' noise alone: the mean half-width of the points' 95% intervals. */
  noise: number;
}

/** A metric over the plausible points, each with its replications. */
export function acrossPoints(metric: MetricSpec, perPoint: readonly { point: Point; reps: readonly ReplicationResult[] }[], seconds: number): AcrossPoints {
  const each = perPoint.map((p) => ({ point: p.point, e: estimate(metric, p.reps, seconds) }));
  const ok = each.filter((x) => Number.isFinite(x.e.mean));
  const pooled = estimate(
    metric,
    perPoint.flatMap((p) => p.reps),
    seconds,
  );
  if (ok.length === 0) return { metric: metricName(metric), mean: NaN, lo: NaN, hi: NaN, lowest: { mean: NaN, point: {} }, highest: { mean: NaN, point: {} }, noise: NaN };
  const low = ok.reduce((a, b) => (b.e.mean < a.e.mean ? b : a));
  const high = ok.reduce((a, b) => (b.e.mean > a.e.mean ? b : a));
  return {
    metric: metricName(metric),
    mean: pooled.mean,
    // Every figure here is at least 0, and a share at most 1: the interval says so.
    lo: Math.max(0, Math.min(...ok.map((x) => x.e.lo))),
    hi: Math.min(metric.kind === 'rate' || metric.kind === 'cpu' || metric.kind === 'memory' ? 1 : Infinity, Math.max(...ok.map((x) => x.e.hi))),
    lowest: { mean: low.e.mean, point: low.point },
    highest: { mean: high.e.mean, point: high.point },
    noise: ok.reduce((a, x) => a + (x.e.hi - x.e.lo) / 2, 0) / ok.length,
  };
}

const pointWords = (p: Point) =>
  Object.entries(p)
    .map(([k, v]) => `${k.split('.').pop()}=${String(v)}`)
    .join(' ');

/** "502/5min 13 [4, 31] over the 8 plausible points (from 6 at closeLag=90us to 25 at closeLag=400us); replication noise alone ±2". */
export function acrossLine(a: AcrossPoints, points: number, unit = ''): string {
  const f = (x: number) => (unit === '%' ? `${num(x * 100)}%` : num(x));
  return (
    `${a.metric} ${f(a.mean)} [${f(a.lo)}, ${f(a.hi)}]${unit && unit !== '%' ? ` ${unit}` : ''} over the ${points} plausible point${points === 1 ? '' : 's'} ` +
    `(the points' means from ${f(a.lowest.mean)} at ${pointWords(a.lowest.point)} to ${f(a.highest.mean)} at ${pointWords(a.highest.point)}); replication noise alone ±${f(a.noise)}`
  );
}

/** The metrics a run over the plausible set reports. */
export const GIVEN_METRICS: { metric: MetricSpec; unit: string }[] = [
  { metric: { kind: 'per5min', status: '502' }, unit: '' },
  { metric: { kind: 'per5min', status: '5xx' }, unit: '' },
  { metric: { kind: 'rate', status: '5xx' }, unit: '%' },
  { metric: { kind: 'latency', stat: 'p99' }, unit: 'ms' },
  { metric: { kind: 'kills', reason: 'total' }, unit: '' },
  { metric: { kind: 'cpu' }, unit: '%' },
];
