import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestPoint, costKey, paretoFront, pickBest, relativeExcess } from '../../src/experiment/size.js';
import { parseSlo } from '../../src/experiment/slo.js';

const pt = (index: number, costPerHour: number, containers: number, workers: number, meets: boolean, rate = 0) => ({
  index,
  costPerHour,
  containers,
  workers,
  meets,
  rate5xx: { mean: rate },
});

test('the cheapest point that meets every SLO wins', () => {
  const pts = [pt(0, 0.05, 1, 2, false), pt(1, 0.1, 2, 2, true), pt(2, 0.15, 3, 2, true), pt(3, 0.08, 1, 16, false)];
  assert.equal(pickBest(pts)?.index, 1);
  assert.equal(pickBest(pts.map((p) => ({ ...p, meets: false }))), undefined);
});

test('ties in cost go to fewer containers, then fewer workers, then the earlier point', () => {
  // Same cost: 2 containers × 1 vCPU against 1 container × 2 vCPU.
  const a = [pt(0, 0.2, 2, 4, true), pt(1, 0.2, 1, 8, true)];
  assert.equal(pickBest(a)?.index, 1);
  // Same cost and containers: workers cost nothing, so fewer workers wins.
  const b = [pt(0, 0.2, 4, 16, true), pt(1, 0.2, 4, 8, true), pt(2, 0.2, 4, 12, true)];
  assert.equal(pickBest(b)?.index, 1);
  // Everything equal: grid order.
  const c = [pt(5, 0.2, 4, 8, true), pt(3, 0.2, 4, 8, true)];
  assert.equal(pickBest(c)?.index, 3);
  // Costs equal up to floating error are equal.
  assert.equal(costKey(0.1 + 0.2), costKey(0.3));
  const d = [pt(0, 0.1 + 0.2, 3, 4, true), pt(1, 0.3, 2, 4, true)];
  assert.equal(pickBest(d)?.index, 1);
  // A real difference in cost beats fewer containers.
  const e = [pt(0, 0.3, 3, 4, true), pt(1, 0.30001, 2, 4, true)];
  assert.equal(pickBest(e)?.index, 0);
});

test('Pareto front of cost against the failure rate (all 5xx)', () => {
  const pts = [
    pt(0, 0.05, 1, 2, false, 0.01),
    pt(1, 0.05, 1, 8, false, 0.002), // same cost, lower rate: replaces point 0
    pt(2, 0.1, 2, 2, false, 0.003), // dearer and worse than point 1: dominated
    pt(3, 0.1, 2, 8, true, 0.0005),
    pt(4, 0.15, 3, 8, true, 0.0005), // dearer, no better: dominated
    pt(5, 0.2, 4, 8, true, 0),
    pt(6, 0.25, 5, 8, true, NaN), // nothing measured: left out
  ];
  assert.deepEqual(paretoFront(pts).map((p) => p.index), [1, 3, 5]);
});

test('closest when nothing meets: the smallest largest relative excess, never the widest interval', () => {
  const p99 = parseSlo('p99<=800ms');
  const oom = parseSlo('oom/h<=0');
  const v = (mean: number, lo: number, hi: number) => ({ slo: '', estimate: { mean, lo, hi, method: 'student-t' as const }, meets: false, certain: false, pMeets: 0 });
  // 1,000 ms is 25% over 800 ms; 400 ms is 50% under; a limit of 0 missed is infinitely far; no measure at all too.
  assert.equal(relativeExcess(v(1000, 900, 1100), p99), 0.25);
  assert.equal(relativeExcess(v(400, 300, 500), p99), -0.5);
  assert.equal(relativeExcess(v(0.5, 0, 2), oom), Infinity);
  assert.equal(relativeExcess(v(0, 0, 0), oom), 0);
  assert.equal(relativeExcess(v(NaN, NaN, NaN), p99), Infinity);
  const at = (index: number, excess: number[], cost = 0.1) => ({ index, costPerHour: cost, containers: 1, workers: 2, excess });
  // Point 0 is 10% over one SLO; point 1 is only 5% over but 30% over another: 0 is closer.
  assert.equal(closestPoint([at(1, [0.05, 0.3]), at(0, [0.1, -0.2])])?.index, 0);
  // A tie on the largest excess goes to the next largest, then to the cheaper point.
  assert.equal(closestPoint([at(0, [0.2, 0.1]), at(1, [0.2, -0.4])])?.index, 1);
  assert.equal(closestPoint([at(0, [0.2], 0.3), at(1, [0.2], 0.1)])?.index, 1);
  // An OOM-killing point (excess ∞ on the guard) is never closer than one that only misses a latency.
  assert.equal(closestPoint([at(0, [-0.9, Infinity]), at(1, [3, 0])])?.index, 1);
});
