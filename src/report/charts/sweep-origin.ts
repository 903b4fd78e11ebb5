// Where a sweep's (or a sizing's) charts come from: its file, seed and replications per point
// (a range when sizing reran the points close to an SLO limit).
import type { SweepResult } from '../../experiment/sweep.js';
import type { Origin } from './spec.js';

export function sweepOrigin(r: SweepResult): Origin {
  const reps = r.points.map((p) => p.replications);
  const lo = Math.min(...reps, r.replications);
  const hi = Math.max(...reps, r.replications);
  return { source: r.file, seed: r.seed, replications: lo === hi ? `${lo} replication${lo === 1 ? '' : 's'} per point` : `${lo} to ${hi} replications per point`, seconds: r.simulatedSeconds };
}
