import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuantileSketch } from '../../../src/stats/quantile-sketch.js';
import { Lcg } from './lcg.js';

const PROBS = [0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999];
// Allow for floating-point rounding in Math.log/exp on top of the documented alpha.
const SLACK = 1 + 1e-9;

/** The exact quantile under the sketch's documented rank convention: sorted[floor(q·(n−1))]. */
function exactQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const N = 100_000;
const distributions: Record<string, (r: Lcg) => number> = {
  uniform: (r) => 10 * r.open(),
  exponential: (r) => r.exponential(0.05),
  lognormal: (r) => Math.exp(-3 + 1.5 * r.normal()),
  // Bimodal fast/slow mix: checks the tail of a latency-like distribution.
  mixture: (r) => (r.next() < 0.95 ? r.exponential(0.006) : 0.5 + r.exponential(2)),
};

for (const alpha of [0.01, 0.05]) {
  for (const [name, draw] of Object.entries(distributions)) {
    test(`QuantileSketch(alpha=${alpha}) is within relative error alpha on ${name}`, () => {
      const rng = new Lcg(2024);
      const xs = new Float64Array(N);
      const sk = new QuantileSketch(alpha);
      for (let i = 0; i < N; i++) {
        xs[i] = draw(rng);
        sk.add(xs[i]!);
      }
      xs.sort();
      assert.equal(sk.count, N);
      assert.equal(sk.quantile(0), xs[0], 'q=0 is the exact minimum');
      assert.equal(sk.quantile(1), xs[N - 1], 'q=1 is the exact maximum');
      assert.equal(sk.min, xs[0]);
      assert.equal(sk.max, xs[N - 1]);
      let worst = 0;
      for (const q of PROBS) {
        const exact = exactQuantile(xs, q);
        const got = sk.quantile(q);
        const rel = Math.abs(got - exact) / exact;
        worst = Math.max(worst, rel);
        assert.ok(rel <= alpha * SLACK, `${name} p=${q}: sketch ${got} exact ${exact} rel err ${rel} > ${alpha}`);
      }
      // A sketch that returned exact values would hide a broken bucket scheme; it must be approximating.
      assert.ok(worst > 0, 'expected some (bounded) approximation error');
    });
  }
}

test('QuantileSketch uses the documented rank convention floor(q·(n−1)) on a small sample', () => {
  const sk = new QuantileSketch(0.001);
  for (const x of [5, 1, 4, 2, 3]) sk.add(x);
  // Sorted 1..5; ranks floor(q·4): q=0.3 → 1 (value 2), 0.5 → 2 (3), 0.74 → 2 (3), 0.75 → 3 (4), 0.99 → 3 (4).
  const expected: Array<[number, number]> = [[0.3, 2], [0.5, 3], [0.74, 3], [0.75, 4], [0.99, 4]];
  for (const [q, v] of expected) {
    const got = sk.quantile(q);
    assert.ok(Math.abs(got - v) <= 0.001 * v * SLACK, `q=${q}: ${got} vs ${v}`);
  }
});

test('QuantileSketch memory is fixed: bucket array does not grow with samples', () => {
  const sk = new QuantileSketch();
  const buckets = sk.bucketCount;
  const bytes = sk.memoryBytes;
  assert.equal(buckets, 1382, 'ceil(ln(1e12)/ln γ) + 1 buckets for alpha 0.01 over [1e-6, 1e6]');
  assert.equal(bytes, buckets * 8);
  assert.ok(bytes < 16 * 1024, `${bytes} bytes`);
  const rng = new Lcg(5);
  for (let i = 0; i < 1_000_000; i++) sk.add(Math.exp(-14 + 28 * rng.next())); // spans the whole range and beyond
  assert.equal(sk.count, 1_000_000);
  assert.equal(sk.bucketCount, buckets);
  assert.equal(sk.memoryBytes, bytes);
});

test('QuantileSketch merge equals a single sketch fed everything', () => {
  const rng = new Lcg(31);
  const single = new QuantileSketch();
  const a = new QuantileSketch();
  const b = new QuantileSketch();
  const empty = new QuantileSketch();
  for (let i = 0; i < 50_000; i++) {
    const x = Math.exp(-4 + 2 * rng.normal());
    single.add(x);
    (i % 3 === 0 ? a : b).add(x);
  }
  a.add(1e-9); // underflow is merged too
  single.add(1e-9);
  a.merge(b);
  a.merge(empty);
  empty.merge(a); // merging into an empty sketch copies extremes
  for (const s of [a, empty]) {
    assert.equal(s.count, single.count);
    assert.equal(s.min, single.min);
    assert.equal(s.max, single.max);
    assert.ok(Math.abs(s.sum - single.sum) <= 1e-9 * single.sum);
    for (let q = 0; q <= 1; q += 0.001) assert.equal(s.quantile(q), single.quantile(q), `q=${q}`);
  }
  assert.throws(() => a.merge(new QuantileSketch(0.02)), RangeError);
  assert.throws(() => a.merge(new QuantileSketch(0.01, 1e-3, 1e3)), RangeError);
});

test('QuantileSketch out-of-range values: underflow bucket and clamped overflow', () => {
  const sk = new QuantileSketch(0.01, 1e-6, 1e6);
  for (let i = 0; i < 10; i++) sk.add(0); // below range → underflow
  sk.add(-1);
  for (let i = 0; i < 89; i++) sk.add(1); // in range
  assert.equal(sk.quantile(0), -1, 'exact minimum even below the range');
  assert.equal(sk.quantile(0.05), -1, 'underflow ranks report the exact minimum seen');
  assert.ok(Math.abs(sk.quantile(0.5) - 1) <= 0.01);
  for (let i = 0; i < 100; i++) sk.add(1e9); // above range → clamped into the last bucket
  assert.equal(sk.quantile(1), 1e9, 'exact maximum even above the range');
  const high = sk.quantile(0.9);
  assert.ok(high <= 1e6 * 1.01 && high >= 1e6 * 0.99, `overflow reported at ~rangeMax, got ${high}`);
  assert.equal(sk.count, 200);
});

test('QuantileSketch edge cases: empty, invalid input, reset', () => {
  const sk = new QuantileSketch();
  assert.ok(Number.isNaN(sk.quantile(0.5)));
  assert.ok(Number.isNaN(sk.min));
  assert.throws(() => sk.add(NaN), RangeError);
  assert.throws(() => sk.add(Infinity), RangeError);
  sk.add(0.25);
  assert.equal(sk.quantile(0.5), 0.25, 'single value: clamped to the exact min/max');
  assert.throws(() => sk.quantile(1.5), RangeError);
  assert.throws(() => sk.quantile(-0.1), RangeError);
  sk.reset();
  assert.equal(sk.count, 0);
  assert.equal(sk.sum, 0);
  assert.ok(Number.isNaN(sk.quantile(0.5)));
  sk.add(3);
  assert.equal(sk.min, 3);
  assert.throws(() => new QuantileSketch(0), RangeError);
  assert.throws(() => new QuantileSketch(0.01, 0, 1), RangeError);
});
