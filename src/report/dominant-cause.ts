// The failure cause behind the most requests of a run: what the answer names first.
import type { Figure, RunResult } from '../experiment/summarize.js';
import { STATUSES } from '../model/outcome.js';

export interface DominantCause {
  status: string;
  cause: string;
  /** Its requests per replication. */
  figure: Figure;
  /** Its share of all failed requests (by the means). */
  share: number;
}

/** The cause with the most failed requests per replication (the first on a tie); null when nothing failed. */
export function dominantCause(r: RunResult): DominantCause | null {
  let best: DominantCause | null = null;
  let failed = 0;
  for (const status of STATUSES.slice(1)) {
    for (const [cause, f] of Object.entries(r.causes[status] ?? {})) {
      failed += f.mean ?? 0;
      if (f.mean && f.mean > (best?.figure.mean ?? 0)) best = { status, cause, figure: f, share: 0 };
    }
  }
  if (best) best.share = best.figure.mean! / failed;
  return best;
}
