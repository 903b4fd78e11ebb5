// Space-filling designs for history matching: a seeded Latin hypercube (McKay, Beckman & Conover
// 1979): each of n equal strata of every unknown holds exactly one point, so 100 points cover
// each range evenly whatever the number of unknowns. Later waves draw candidates inside the
// bounding box of the points not ruled out.
import seedrandom from 'seedrandom';
import { unitPosition, valueAt, type Point, type Unknown } from './unknowns.js';

/** n points in [0,1)^d, one per stratum of each dimension (randomised within the stratum). */
export function latinHypercube(n: number, d: number, seed: string): number[][] {
  const rng = seedrandom.alea(`capsim-infer/${seed}`);
  const columns = Array.from({ length: d }, () => {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order.map((s) => (s + rng()) / n);
  });
  return Array.from({ length: n }, (_, i) => columns.map((c) => c[i]!));
}

/** Points of a design over the unknowns' whole ranges; duplicates (lists, whole numbers) removed. */
export function firstWave(unknowns: readonly Unknown[], n: number, seed: string): Point[] {
  return unique(latinHypercube(n, unknowns.length, `${seed}/wave1`).map((x) => pointAt(unknowns, x)));
}

/**
 * The next wave: a Latin hypercube of `n` new points in the bounding box of the survivors (in
 * [0,1] per unknown, widened by half a first-wave stratum each side so an edge survivor's
 * neighbourhood is explored; a list keeps the levels survivors have). Points already tried are
 * skipped.
 */
export function nextWave(unknowns: readonly Unknown[], survivors: readonly Point[], tried: readonly Point[], n: number, seed: string, wave: number, stratum: number): Point[] {
  const pos = survivors.map((p) => unknowns.map((u) => unitPosition(u, p[u.key]!)));
  const boxes = unknowns.map((u, j) => {
    if (u.kind === 'list') return { lo: 0, hi: 1, levels: u.levels.filter((l) => survivors.some((p) => p[u.key] === l)) };
    const xs = pos.map((p) => p[j]!);
    return { lo: Math.max(0, Math.min(...xs) - stratum / 2), hi: Math.min(1, Math.max(...xs) + stratum / 2), levels: [] as unknown[] };
  });
  const seen = new Set(tried.map(key));
  const out: Point[] = [];
  for (const x of latinHypercube(n, unknowns.length, `${seed}/wave${wave}`)) {
    const p: Point = {};
    unknowns.forEach((u, j) => {
      const b = boxes[j]!;
      p[u.key] = u.kind === 'list' ? (b.levels[Math.min(b.levels.length - 1, Math.floor(x[j]! * b.levels.length))] as Point[string]) : valueAt(u, Math.min(b.lo + x[j]! * (b.hi - b.lo), 1 - 1e-12));
    });
    const k = key(p);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out;
}

function pointAt(unknowns: readonly Unknown[], x: readonly number[]): Point {
  const p: Point = {};
  unknowns.forEach((u, j) => (p[u.key] = valueAt(u, x[j]!)));
  return p;
}

export function key(p: Point): string {
  return JSON.stringify(p);
}

function unique(points: Point[]): Point[] {
  const seen = new Set<string>();
  return points.filter((p) => {
    const k = key(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
