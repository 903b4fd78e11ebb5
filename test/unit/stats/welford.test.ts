import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Welford } from '../../../src/stats/welford.js';
import { Lcg } from './lcg.js';

function twoPass(xs: readonly number[]): { mean: number; variance: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { mean, variance: ss / (xs.length - 1) };
}

function close(actual: number, expected: number, rel: number, msg?: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${msg ?? ''} ${actual} vs ${expected}`);
}

test('Welford matches a two-pass mean and variance on random data with a large offset', () => {
  const rng = new Lcg(7);
  // The 1e6 offset makes the naive sum-of-squares formula lose most digits; Welford must not.
  const xs = Array.from({ length: 20_000 }, () => 1e6 + 3 * rng.normal());
  const w = new Welford();
  for (const x of xs) w.add(x);
  const ref = twoPass(xs);
  assert.equal(w.count, xs.length);
  close(w.mean, ref.mean, 1e-14, 'mean');
  close(w.variance(), ref.variance, 1e-9, 'variance');
  close(w.sd(), Math.sqrt(ref.variance), 1e-9, 'sd');
  close(w.variance(), 9, 0.05, 'variance near the true 9');
});

test('Welford merge equals adding everything to one accumulator', () => {
  const rng = new Lcg(99);
  const xs = Array.from({ length: 5_001 }, () => rng.exponential(2));
  const all = new Welford();
  for (const x of xs) all.add(x);
  // Uneven parts plus an empty one, merged in both directions.
  const parts = [new Welford(), new Welford(), new Welford(), new Welford()];
  xs.forEach((x, i) => parts[i < 10 ? 0 : i < 3_000 ? 1 : 3]!.add(x));
  const merged = new Welford();
  for (const p of parts) merged.merge(p);
  assert.equal(merged.count, all.count);
  close(merged.mean, all.mean, 1e-12, 'mean');
  close(merged.variance(), all.variance(), 1e-10, 'variance');

  const into = parts[3]!;
  into.merge(parts[0]!);
  into.merge(parts[1]!);
  close(into.mean, all.mean, 1e-12, 'mean (reverse order)');
  close(into.variance(), all.variance(), 1e-10, 'variance (reverse order)');
});

test('Welford edge cases: empty, single sample, reset', () => {
  const w = new Welford();
  assert.ok(Number.isNaN(w.mean));
  assert.ok(Number.isNaN(w.variance()));
  w.add(4);
  assert.equal(w.mean, 4);
  assert.ok(Number.isNaN(w.variance()), 'sample variance undefined for n = 1');
  w.add(6);
  assert.equal(w.mean, 5);
  assert.equal(w.variance(), 2);
  w.reset();
  assert.equal(w.count, 0);
  w.add(10);
  assert.equal(w.mean, 10);
});
