// Run a model given as YAML text through the same path as `capsim run` (parse, validate,
// replicate, summarise) and compare an estimate with an exact value.
import assert from 'node:assert/strict';
import { runExperiment, type Experiment } from '../../src/experiment/run-experiment.js';
import type { ReplicationResult } from '../../src/experiment/replication.js';
import { parseModelText } from '../../src/scenario/parse-model.js';
import { meanCI } from '../../src/stats/intervals.js';

export function simulate(yaml: string, sets: string[] = []): Experiment {
  return runExperiment(parseModelText(yaml, 'validation.yaml', sets));
}

/**
 * Assert that the replications' estimate of `what` agrees with `exact`: the exact value lies
 * in the 99% interval, and that interval is narrow enough (half-width < 2.5% of the value)
 * that a simulator off by 5% would be caught.
 */
export function agrees(reps: ReplicationResult[], pick: (r: ReplicationResult) => number, exact: number, what: string): void {
  const values = reps.map(pick);
  const { mean, ci95 } = meanCI(values, 0.99);
  const half = (ci95[1] - ci95[0]) / 2;
  const rel = half / Math.abs(exact);
  assert.ok(rel < 0.025, `${what}: 99% interval half-width ${half.toPrecision(3)} is ${(rel * 100).toFixed(2)}% of ${exact.toPrecision(4)}: too wide to detect a 5% error`);
  assert.ok(
    Math.abs(mean - exact) <= half,
    `${what}: simulated ${mean.toPrecision(5)} ± ${half.toPrecision(3)} (99%) but theory says ${exact.toPrecision(5)}`,
  );
}
