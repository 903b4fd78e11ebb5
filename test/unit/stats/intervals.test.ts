import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  meanCI,
  normalQuantile,
  poissonCI,
  studentTQuantile,
  summarize,
  summarizeCounts,
  wilsonCI,
} from '../../../src/stats/intervals.js';
import { normalCdf, studentTCdf } from '../../../src/stats/distributions.js';
import { Lcg } from './lcg.js';

function near(actual: number, expected: number, tol: number, msg = ''): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${msg} got ${actual}, expected ${expected} ± ${tol}`);
}

test('studentTQuantile matches printed t tables (4 decimals)', () => {
  const table: Array<[number, number, number]> = [
    [0.975, 1, 12.7062],
    [0.975, 2, 4.3027],
    [0.975, 5, 2.5706],
    [0.975, 10, 2.2281],
    [0.975, 30, 2.0423],
    [0.995, 9, 3.2498],
  ];
  for (const [p, df, v] of table) near(studentTQuantile(p, df), v, 5e-5, `t(${p}, ${df})`);
});

test('studentTQuantile matches high-precision reference values to 1e-11', () => {
  // Reference values: mpmath (findroot on the regularized incomplete beta, 30 digits);
  // df = 2 is the closed form (1 − 2p)/√(2p(1 − p)).
  const ref: Array<[number, number, number]> = [
    [0.975, 1, 12.706204736174705],
    [0.975, 3, 3.18244630528371],
    [0.975, 5, 2.570581835636316],
    [0.975, 10, 2.228138851986275],
    [0.975, 30, 2.042272456301238],
    [0.995, 9, 3.249835541592126],
    [0.95, 4, 2.13184678632665],
    [0.9, 20, 1.325340706985046],
  ];
  for (const [p, df, v] of ref) near(studentTQuantile(p, df), v, 1e-11 * v, `t(${p}, ${df})`);
  near(studentTQuantile(0.975, 2), 0.95 / Math.sqrt(2 * 0.025 * 0.975), 1e-12, 't(0.975, 2)');
});

test('studentTQuantile inverts the t CDF across df and tails, and tends to the normal', () => {
  for (const df of [1, 2, 3, 4, 7.5, 29, 120, 5000, 1e5, 1e7]) {
    for (const p of [1e-9, 1e-4, 0.01, 0.025, 0.2, 0.5, 0.7, 0.975, 0.999]) {
      const t = studentTQuantile(p, df);
      const c = studentTCdf(t, df);
      const tail = Math.min(p, 1 - p);
      assert.ok(Math.abs(c - p) <= 1e-9 * tail, `df=${df} p=${p}: cdf(${t}) = ${c}`);
      // 1 − p is itself rounded, so symmetry holds to the precision of that rounding.
      near(studentTQuantile(1 - p, df), -t, 1e-6 * Math.abs(t), 'symmetry');
    }
  }
  assert.equal(studentTQuantile(0.975, Infinity), normalQuantile(0.975));
  near(studentTQuantile(0.975, 1e7), normalQuantile(0.975), 1e-6);
  assert.equal(studentTQuantile(0, 5), -Infinity);
  assert.equal(studentTQuantile(1, 5), Infinity);
  assert.ok(Number.isNaN(studentTQuantile(0.5, 0)));
});

test('normalQuantile (AS 241) matches reference values', () => {
  near(normalQuantile(0.975), 1.959964, 1e-6);
  near(normalQuantile(0.975), 1.959963984540054, 1e-14); // mpmath: √2·erfinv(0.95)
  near(normalQuantile(0.5), 0, 0);
  near(normalQuantile(0.05), -1.644853626951472, 1e-14);
  near(normalQuantile(1e-10), -6.361340902404056, 1e-12);
  near(normalQuantile(1e-20), -9.262340089798408, 1e-11); // the r > 5 branch
  for (const p of [1e-15, 0.001, 0.3, 0.6, 0.99]) near(normalCdf(normalQuantile(p)), p, 1e-12 * Math.min(p, 1 - p) + 1e-16);
});

test('poissonCI gives the exact Garwood interval', () => {
  const cases: Array<[number, number, number]> = [
    [0, 0, 3.6889],
    [1, 0.0253, 5.5716],
    [10, 4.7954, 18.3904],
  ];
  for (const [k, lo, hi] of cases) {
    const [l, h] = poissonCI(k);
    near(l, lo, 1e-4, `lower(${k})`);
    near(h, hi, 1e-4, `upper(${k})`);
  }
  // Closed forms for k = 0 and the lower bound at k = 1: −ln(α/2) and −ln(1 − α/2).
  near(poissonCI(0)[1], -Math.log(0.025), 1e-12);
  near(poissonCI(1)[0], -Math.log(0.975), 1e-12);
  near(poissonCI(0, 0.9)[1], -Math.log(0.05), 1e-12);
  // Full precision (mpmath), including a huge count where naive log-gamma arithmetic loses digits.
  near(poissonCI(10)[0], 4.795388696132434, 1e-11);
  near(poissonCI(10)[1], 18.39035604201778, 1e-11);
  const [l, h] = poissonCI(1e6);
  near(l, 998040.9833402939, 1e-6);
  near(h, 1001961.9119454322, 1e-6);
});

test('wilsonCI matches the textbook example and stays in [0, 1]', () => {
  const [lo, hi] = wilsonCI(5, 100);
  near(lo, 0.0215, 1e-4);
  near(hi, 0.1118, 1e-4);
  assert.deepEqual(wilsonCI(0, 0), [0, 1]);
  const [z0, z1] = wilsonCI(0, 10);
  assert.equal(z0, 0);
  near(z1, 0.2775, 1e-4);
  assert.equal(wilsonCI(10, 10)[1], 1);
  assert.throws(() => wilsonCI(11, 10), RangeError);
});

test('meanCI is the Student-t interval, degenerate for one value or zero variance', () => {
  const r = meanCI([1, 2, 3, 4, 5]);
  assert.equal(r.mean, 3);
  // 3 ± t(0.975, 4)·√2.5/√5 = 3 ± 2.776445·0.707107
  near(r.ci95[0], 3 - 2.7764451051977944 * Math.sqrt(0.5), 1e-9);
  near(r.ci95[1], 3 + 2.7764451051977944 * Math.sqrt(0.5), 1e-9);
  const r90 = meanCI([1, 2, 3, 4, 5], 0.9);
  assert.ok(r90.ci95[1] - r90.ci95[0] < r.ci95[1] - r.ci95[0], '90% narrower than 95%');
  assert.deepEqual(meanCI([7]), { mean: 7, ci95: [7, 7] });
  assert.deepEqual(meanCI([2, 2, 2]), { mean: 2, ci95: [2, 2] });
  assert.deepEqual(summarize([1, 2, 3, 4, 5]), r);
  const e = meanCI([]);
  assert.ok(Number.isNaN(e.mean) && Number.isNaN(e.ci95[0]));
  assert.throws(() => meanCI([1, 2], 1), RangeError);
});

test('summarizeCounts uses the exact Poisson interval for rare events', () => {
  const s = summarizeCounts([0, 1, 0, 2]);
  assert.equal(s.method, 'poisson');
  assert.equal(s.mean, 0.75);
  const [lo, hi] = poissonCI(3);
  near(s.ci95[0], lo / 4, 1e-12);
  near(s.ci95[1], hi / 4, 1e-12);
  assert.ok(s.ci95[0] > 0, 'never collapses to a point');

  const zeros = summarizeCounts([0, 0, 0, 0]);
  assert.equal(zeros.method, 'poisson');
  assert.equal(zeros.ci95[0], 0);
  near(zeros.ci95[1], 3.6889 / 4, 1e-4);

  assert.equal(summarizeCounts([40, 40, 40]).method, 'poisson', 'zero variance → poisson even for large totals');
  assert.equal(summarizeCounts([29]).method, 'poisson');
  assert.equal(summarizeCounts([5, 9, 7, 8]).method, 'poisson', 'total 29 < 30');
});

test('summarizeCounts uses the Student-t interval for large counts', () => {
  const counts = [100, 120, 90, 110];
  const s = summarizeCounts(counts);
  assert.equal(s.method, 'student-t');
  assert.equal(s.mean, 105);
  assert.deepEqual(s.ci95, meanCI(counts).ci95);
  assert.equal(summarizeCounts([5, 9, 7, 9]).method, 'student-t', 'total 30 reaches the threshold');
  assert.throws(() => summarizeCounts([1, -1]), RangeError);
});

test('summarizeCounts 95% intervals cover the true Poisson mean in ≥ 93% of 2000 trials', () => {
  const rng = new Lcg(42);
  const trials = 2000;
  // Rare (all-Poisson), around the switch at a total of 30, and frequent (all-t) events.
  for (const [mean, reps] of [
    [0.05, 5],
    [0.5, 4],
    [2, 10],
    [6, 5],
    [8, 4],
    [40, 5],
    [200, 10],
  ] as const) {
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const counts: number[] = [];
      for (let r = 0; r < reps; r++) counts.push(rng.poisson(mean));
      const [lo, hi] = summarizeCounts(counts).ci95;
      if (lo <= mean && mean <= hi) covered++;
    }
    const coverage = covered / trials;
    assert.ok(coverage >= 0.93, `mean ${mean} × ${reps} reps: coverage ${coverage}`);
  }
});
