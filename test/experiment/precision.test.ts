import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExperimentInputError } from '../../src/experiment/errors.js';
import { estimate } from '../../src/experiment/metrics.js';
import { halfWidth, meetsPrecision, parsePrecision, replicateToPrecision } from '../../src/experiment/precision.js';
import type { ReplicationResult } from '../../src/experiment/replication.js';
import { fakeRep } from './fixtures.js';

// A deterministic, noisy p99 per replication: the precision loop must stop at the first n whose
// interval is narrow enough, whatever the batch size.
const p99Of = (r: number) => 500 + 200 * Math.sin(r * 12.9898) * Math.cos(r * 78.233);
const runner = (calls: [number, number][], of = (r: number) => fakeRep(r, { p99: p99Of(r) })) => async (from: number, to: number) => {
  calls.push([from, to]);
  const out: ReplicationResult[] = [];
  for (let r = from; r < to; r++) out.push(of(r));
  return out;
};

test('--precision: 10% is relative, 0.5 absolute; nonsense is an input error', () => {
  assert.deepEqual(parsePrecision('10%'), { text: '10%', relative: 0.1, absolute: null });
  assert.deepEqual(parsePrecision('0.5'), { text: '0.5', relative: null, absolute: 0.5 });
  for (const bad of ['0%', '-5%', 'ten', '150%', '0', '']) assert.throws(() => parsePrecision(bad), ExperimentInputError, bad);
});

test('stops at the first n whose 95% half-width is within the precision, whatever the batch', async () => {
  const metric = { kind: 'latency', stat: 'p99' } as const;
  const precision = parsePrecision('5%');
  // The expected n, found by brute force.
  let expected = -1;
  for (let n = 5; n <= 200; n++) {
    const reps = Array.from({ length: n }, (_, r) => fakeRep(r, { p99: p99Of(r) }));
    if (meetsPrecision(estimate(metric, reps, 3600), precision)) {
      expected = n;
      break;
    }
  }
  assert.ok(expected > 5, `the fixture should need more than the minimum (got ${expected})`);
  for (const batch of [1, 2, 3, 7]) {
    const calls: [number, number][] = [];
    const { replications, outcome } = await replicateToPrecision({ metric, precision, seconds: 3600, min: 5, max: 200, batch, run: runner(calls) });
    assert.equal(outcome.replications, expected, `batch ${batch}`);
    assert.equal(replications.length, expected);
    assert.equal(outcome.reached, true);
    assert.equal(outcome.stop, 'reached');
    assert.ok(outcome.relativeHalfWidth! <= 0.05);
    assert.deepEqual(calls[0], [0, Math.max(5, batch)]);
    // Replications are asked for in order, each once.
    calls.forEach(([from], i) => assert.equal(from, i === 0 ? 0 : calls[i - 1]![1]));
  }
});

test('the minimum and the maximum are honoured', async () => {
  const metric = { kind: 'latency', stat: 'p99' } as const;
  const constant = (r: number) => fakeRep(r, { p99: 400 });
  // Zero spread meets any precision at once, but not before the minimum.
  const a = await replicateToPrecision({ metric, precision: parsePrecision('1%'), seconds: 3600, min: 8, max: 50, batch: 2, run: runner([], constant) });
  assert.equal(a.outcome.replications, 8);
  const b = await replicateToPrecision({ metric, precision: parsePrecision('0.1%'), seconds: 3600, min: 5, max: 12, batch: 4, run: runner([]) });
  assert.equal(b.outcome.reached, false);
  assert.equal(b.outcome.stop, 'max');
  assert.equal(b.outcome.replications, 12);
});

test('a metric that stays 0 never meets a relative precision (to the maximum), but meets an absolute one', async () => {
  const metric = { kind: 'per5min', status: '502' } as const;
  const zero = (r: number) => fakeRep(r);
  const rel = await replicateToPrecision({ metric, precision: parsePrecision('10%'), seconds: 3600, min: 5, max: 20, batch: 3, run: runner([], zero) });
  assert.equal(rel.outcome.stop, 'zero');
  assert.equal(rel.outcome.replications, 20);
  assert.equal(rel.outcome.estimate.mean, 0);
  // Upper bound of a zero Poisson count over 20 one-hour replications: 3.689 / (20 × 12) per 5 min.
  assert.ok(Math.abs(rel.outcome.estimate.ci95[1]! - 3.6889 / 240) < 1e-4);
  const abs = await replicateToPrecision({ metric, precision: parsePrecision('0.05'), seconds: 3600, min: 5, max: 20, batch: 1, run: runner([], zero) });
  assert.equal(abs.outcome.reached, true);
  // 3.689 / (n × 12) <= 0.05 first at n = 7.
  assert.equal(abs.outcome.replications, 7);
});

test('the half-width of a lopsided (Poisson) interval is its wider side', () => {
  assert.equal(halfWidth({ mean: 1, lo: 0.5, hi: 2.5, method: 'poisson' }), 1.5);
});
