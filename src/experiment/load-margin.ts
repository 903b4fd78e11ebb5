// The load margin of a fleet: how much more traffic it takes before an SLO or a guard breaks,
// found by simulation, not by a formula (a queue's knee depends on everything the model has:
// recycling, keep-alive races, the accept order, a blocked hub).
//
// The search, at the point's own seed and replication count (common random numbers: replication
// r of every level shares its random streams, so the levels differ by the traffic only):
//   1. Scale the traffic by +10%, +20%, +40%, +80%, +160% in turn until a level fails (some SLO or
//      guard missed by its estimate, as size judges a point) or the largest level holds.
//   2. Bisect between the largest level that held and the smallest that failed, in whole percent,
//      until they are RESOLUTION percentage points apart (the point itself, +0%, holds: it met).
// The answer is "holds up to +H%" (breaks at +B%, with the SLO that broke first), resolution B − H.
// A level whose requests pile up beyond what capsim can hold (replication.ts) fails.
//
// What is scaled: traffic.rate, or traffic.profile.scale, or the closed users' count (rounded);
// bursts stay as they are (extra arrivals on top). Replayed traffic cannot be scaled.
import type { Model } from '../scenario/model-types.js';
import { ExperimentInputError } from './errors.js';
import type { ReplicationPool } from './pool.js';
import type { ReplicationResult } from './replication.js';
import { judge, type Slo } from './slo.js';

/** The doubling levels, percent more traffic. */
export const MARGIN_LEVELS = [10, 20, 40, 80, 160] as const;
/** Bisection stops when the held and the failed level are this many percentage points apart. */
export const MARGIN_RESOLUTION = 5;

export interface MarginLevel {
  /** Percent more traffic than the point's. */
  percent: number;
  meets: boolean;
  /** The first SLO (or guard) missed, with its estimate; null when every one held. */
  breaks: string | null;
  replications: number;
}

export interface LoadMargin {
  /** What was scaled: "traffic.rate", "traffic.profile.scale", "traffic.users.count"; null: nothing could be. */
  scaled: string | null;
  /** Largest tested increase (percent) at which every SLO and guard held (0: only the point itself). */
  holds: number | null;
  /** Smallest tested increase at which one broke; null: none broke up to the last level. */
  breaksAt: number | null;
  /** The SLO or guard that broke there. */
  breaks: string | null;
  /** breaksAt − holds, percentage points (null when nothing broke). */
  resolution: number | null;
  /** Every level run, in the order run. */
  levels: MarginLevel[];
  /** Why no margin could be found, or what the scaling left out. */
  note: string | null;
}

/** The model with its traffic times `factor`, and the key scaled; null for replayed traffic. */
export function scaleTraffic(model: Model, factor: number): { model: Model; scaled: string } | null {
  const t = model.traffic;
  if (t.replay) return null;
  const m = structuredClone(model);
  if (m.traffic.rate !== undefined) {
    m.traffic.rate = m.traffic.rate * factor;
    return { model: m, scaled: 'traffic.rate' };
  }
  if (m.traffic.profile) {
    m.traffic.profile.scale = m.traffic.profile.scale * factor;
    return { model: m, scaled: 'traffic.profile.scale' };
  }
  if (m.traffic.users) {
    m.traffic.users.count = Math.max(1, Math.round(m.traffic.users.count * factor));
    return { model: m, scaled: 'traffic.users.count' };
  }
  return null;
}

export interface MarginOptions {
  pool: ReplicationPool;
  replications: number;
  /** Called as each level's replications finish: done and total of the level. */
  onProgress?: (done: number, total: number, percent: number) => void;
}

/** Does the point, with its traffic `percent` higher, meet every SLO? */
async function level(model: Model, percent: number, slos: readonly Slo[], o: MarginOptions): Promise<MarginLevel> {
  const scaled = scaleTraffic(model, 1 + percent / 100)!;
  const n = o.replications;
  let reps: ReplicationResult[];
  try {
    let done = 0;
    o.onProgress?.(0, n, percent);
    reps = await o.pool.run(
      Array.from({ length: n }, (_, r) => ({ model: scaled.model, replication: r })),
      () => o.onProgress?.(++done, n, percent),
    );
  } catch (e) {
    if (!(e instanceof ExperimentInputError)) throw e;
    return { percent, meets: false, breaks: 'requests pile up beyond what capsim can hold', replications: n };
  }
  const seconds = scaled.model.simulation.duration;
  const verdicts = slos.map((s) => judge(s, reps, seconds));
  const miss = verdicts.findIndex((v) => !v.meets);
  return { percent, meets: miss < 0, breaks: miss < 0 ? null : slos[miss]!.text + (slos[miss]!.guard ? ' (guard)' : ''), replications: n };
}

/** The load margin of `model` (a point that meets every SLO in `slos`), by simulation. */
export async function loadMargin(model: Model, slos: readonly Slo[], o: MarginOptions): Promise<LoadMargin> {
  const probe = scaleTraffic(model, 1);
  if (!probe) {
    return { scaled: null, holds: null, breaksAt: null, breaks: null, resolution: null, levels: [], note: 'replayed traffic (traffic.replay) cannot be scaled' };
  }
  const note = model.traffic.bursts ? 'bursts (traffic.bursts) are not scaled' : probe.scaled === 'traffic.users.count' ? 'the users are rounded to whole users' : null;
  const levels: MarginLevel[] = [];
  let holds = 0;
  let failed: MarginLevel | null = null;
  for (const p of MARGIN_LEVELS) {
    const l = await level(model, p, slos, o);
    levels.push(l);
    if (!l.meets) {
      failed = l;
      break;
    }
    holds = p;
  }
  while (failed && failed.percent - holds > MARGIN_RESOLUTION) {
    const mid = Math.round((holds + failed.percent) / 2);
    const l = await level(model, mid, slos, o);
    levels.push(l);
    if (l.meets) holds = mid;
    else failed = l;
  }
  return {
    scaled: probe.scaled,
    holds,
    breaksAt: failed?.percent ?? null,
    breaks: failed?.breaks ?? null,
    resolution: failed ? failed.percent - holds : null,
    levels,
    note,
  };
}

/** "holds up to +25% traffic (breaks at +30%: util<=80% (guard); found by simulation, to 5 points)". */
export function marginText(m: LoadMargin): string {
  if (m.holds === null) return `load margin unknown: ${m.note}`;
  const how = `${m.levels.length} traffic level${m.levels.length === 1 ? '' : 's'} simulated, scaling ${m.scaled}${m.note ? `; ${m.note}` : ''}`;
  if (m.breaksAt === null) return `holds beyond +${m.holds}% traffic (the largest level tried; ${how})`;
  return `holds up to +${m.holds}% traffic: at +${m.breaksAt}% it misses ${m.breaks} (${how}; resolution ${m.resolution} points)`;
}
