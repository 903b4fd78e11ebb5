// Many replications of one model, in order or on worker threads, optionally to a precision;
// summarised by summarize.ts into the JSON of `capsim run --json` (README, "JSON output").
import '../logs/register-replay.js';
import type { Model } from '../scenario/model-types.js';
import type { MetricSpec } from './metrics.js';
import { ReplicationPool, defaultJobs } from './pool.js';
import { DEFAULT_MAX_REPLICATIONS, DEFAULT_MIN_REPLICATIONS, replicateToPrecision, type Precision } from './precision.js';
import { runReplication, type ReplicationResult } from './replication.js';
import { noCost, type ReplicationCost } from './replication-cost.js';
import { summarize, type RunResult } from './summarize.js';

export { summarize, type Figure, type RunResult } from './summarize.js';

export interface RunOptions {
  /** Called after each replication (progress). */
  onReplication?: (r: ReplicationResult) => void;
}

export interface Experiment {
  result: RunResult;
  replications: ReplicationResult[];
  /** What computing the replications cost (for --profile); zero from runExperiment. */
  cost: ReplicationCost;
}

export function runExperiment(model: Model, options: RunOptions = {}): Experiment {
  const reps: ReplicationResult[] = [];
  for (let r = 0; r < model.simulation.replications; r++) {
    const rep = runReplication(model, r);
    reps.push(rep);
    options.onReplication?.(rep);
  }
  return { result: summarize(model, reps), replications: reps, cost: noCost() };
}

export interface ParallelRunOptions {
  /** Worker threads (default: the number of cores); 1 runs on this thread. */
  jobs?: number;
  /** Replicate until this precision of `metric` (see precision.ts) instead of a fixed count. */
  precision?: { precision: Precision; metric: MetricSpec; min?: number; max?: number };
  onReplication?: (r: ReplicationResult) => void;
}

/**
 * runExperiment on worker threads, optionally to a precision. The output does not depend on
 * `jobs`: replication r is the same computation wherever it runs, results are kept in order, and
 * the precision rule stops at the first sufficient count, never at a batch boundary.
 */
export async function runExperimentParallel(model: Model, options: ParallelRunOptions = {}): Promise<Experiment> {
  const pool = new ReplicationPool(options.jobs ?? defaultJobs());
  try {
    const run = (from: number, to: number) => {
      const tasks = [];
      for (let r = from; r < to; r++) tasks.push({ model, replication: r });
      return pool.run(tasks, (_i, rep) => options.onReplication?.(rep));
    };
    if (!options.precision) {
      const reps = await run(0, model.simulation.replications);
      return { result: summarize(model, reps), replications: reps, cost: pool.cost };
    }
    const p = options.precision;
    const { replications, outcome } = await replicateToPrecision({
      metric: p.metric,
      precision: p.precision,
      seconds: model.simulation.duration,
      min: p.min ?? DEFAULT_MIN_REPLICATIONS,
      max: p.max ?? DEFAULT_MAX_REPLICATIONS,
      batch: pool.jobs,
      run,
    });
    const result = summarize(model, replications);
    result.precision = outcome;
    return { result, replications, cost: pool.cost };
  } finally {
    await pool.close();
  }
}
