// A run beside what was observed at the same configuration: `capsim run MODEL --observed FILE…`
// puts each matching observation's figure next to the run's estimate and says whether the run is
// consistent with it, by the implausibility `capsim infer` uses (|z − E[f]| / sqrt(sd² +
// discrepancy² + the replications' variance / n), consistent up to 3). An observation matches
// when its `set` configuration, applied to the model, leaves the model as it is.
import { estimate, metricName, type Estimate } from '../experiment/metrics.js';
import type { ReplicationResult } from '../experiment/replication.js';
import { loadModelFile } from '../scenario/load-model.js';
import type { Model } from '../scenario/model-types.js';
import type { Observation } from '../observe/observation.js';
import { num } from '../report/format.js';
import { judge } from './implausibility.js';

/** The cut-off of history matching (docs/calibrate.md). */
const CUTOFF = 3;

export interface RunComparison {
  name: string;
  source: string;
  metric: string;
  /** What was observed: `value ± sd`, `at most B`, `at least B`, in the metric's units. */
  observed: string;
  estimate: Estimate;
  implausibility: number;
  consistent: boolean;
}

const sameModel = (a: Model, b: Model) => JSON.stringify(a) === JSON.stringify(b);

/** The observations seen at the configuration this run simulates (`file` with `sets`). */
export function matchingObservations(observations: readonly Observation[], model: Model, file: string, sets: readonly string[]): Observation[] {
  return observations.filter((o) => {
    const extra = Object.entries(o.set).map(([k, v]) => `${k}=${v}`);
    if (extra.length === 0) return true;
    try {
      return sameModel(loadModelFile(file, [...sets, ...extra]), model);
    } catch {
      return false; // a configuration this model cannot take is not this run's
    }
  });
}

/** Fractions (rates, utilizations, memory) are shown as percentages. */
function shown(o: Observation, x: number): string {
  const k = o.metric.kind;
  return k === 'rate' || k === 'cpu' || k === 'util' || k === 'memory' ? `${num(100 * x)}%` : num(x);
}

export function compareRun(observations: readonly Observation[], reps: readonly ReplicationResult[], seconds: number): RunComparison[] {
  return observations.map((o) => {
    const j = judge(o, reps);
    const f = o.form;
    const observed = f.kind === 'value' ? `${shown(o, f.value)} ± ${shown(o, f.sd)}` : `${f.kind === 'at-most' ? 'at most' : 'at least'} ${shown(o, f.bound)}`;
    return {
      name: o.name,
      source: o.source,
      metric: metricName(o.metric),
      observed,
      estimate: estimate(o.metric, reps, seconds),
      implausibility: j.implausibility,
      consistent: j.implausibility <= CUTOFF,
    };
  });
}

/** One line per observation, for the run's table: observed, capsim, and the verdict. */
export function comparisonLines(cs: readonly RunComparison[], observations: readonly Observation[]): string[] {
  return cs.map((c, i) => {
    const o = observations[i]!;
    const e = c.estimate;
    const capsim = `${shown(o, e.mean)} [${shown(o, e.lo)}, ${shown(o, e.hi)}]`;
    const verdict = c.consistent ? 'consistent with it' : `${c.implausibility > 1e6 ? 'far' : `${num(c.implausibility)} standard deviations`} from it: not consistent`;
    return `observed: ${c.name} (${c.source}): ${c.observed}; capsim ${capsim}: ${verdict} (implausibility ${num(c.implausibility)}, cut-off ${CUTOFF})`;
  });
}
