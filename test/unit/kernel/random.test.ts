import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomStreams } from '../../../src/kernel/random-streams.js';
import seedrandom from 'seedrandom';
import { Alea } from '../../../src/kernel/alea.js';
import { Draw, makeSampler } from '../../../src/kernel/distributions.js';
import { moment, type DistSpec } from '../../../src/kernel/distribution-spec.js';

test('streams are reproducible and independent of each other', () => {
  const a = new RandomStreams(42, 0).stream('traffic/arrivals');
  const first = [a(), a(), a()];
  const s = new RandomStreams(42, 0);
  s.stream('some/new/component')(); // another component drawing must not shift this stream
  const b = s.stream('traffic/arrivals');
  assert.deepEqual([b(), b(), b()], first);
  const otherRep = new RandomStreams(42, 1).stream('traffic/arrivals');
  assert.notDeepEqual([otherRep(), otherRep(), otherRep()], first);
  const otherSeed = new RandomStreams(43, 0).stream('traffic/arrivals');
  assert.notDeepEqual([otherSeed(), otherSeed(), otherSeed()], first);
});

const specs: [string, DistSpec][] = [
  ['const', { kind: 'const', value: 0.25 }],
  ['exp', { kind: 'exp', mean: 0.004 }],
  ['uniform', { kind: 'uniform', min: 1, max: 3 }],
  ['normal truncated', { kind: 'normal', mean: 1, sd: 1 }],
  ['lognormal', { kind: 'lognormal', mu: Math.log(0.004), sigma: 0.8 }],
  ['gamma', { kind: 'gamma', shape: 2.5, scale: 0.01 }],
  ['gamma shape < 1', { kind: 'gamma', shape: 0.5, scale: 0.02 }],
  ['weibull', { kind: 'weibull', shape: 1.5, scale: 0.01 }],
  ['pareto', { kind: 'pareto', shape: 4.5, scale: 0.005 }],
  ['empirical', { kind: 'empirical', probs: [0, 0.5, 0.9, 1], values: [0.001, 0.004, 0.01, 0.08] }],
  ['mixture', { kind: 'mixture', weights: [0.9, 0.1], parts: [{ kind: 'exp', mean: 0.005 }, { kind: 'const', value: 2 }] }],
];

for (const [name, spec] of specs) {
  test(`sampler ${name}: sample mean and second moment match the spec's moments`, () => {
    const draw = makeSampler(spec, new RandomStreams(1, 0).stream(name));
    const n = 200_000;
    let s1 = 0, s2 = 0, s4 = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      assert.ok(x >= 0);
      s1 += x;
      s2 += x * x;
      s4 += x ** 4;
    }
    const m1 = moment(spec, 1), m2 = moment(spec, 2);
    const sd1 = Math.sqrt(Math.max(s2 / n - (s1 / n) ** 2, 0) / n);
    const sd2 = Math.sqrt(Math.max(s4 / n - (s2 / n) ** 2, 0) / n);
    assert.ok(Math.abs(s1 / n - m1) <= 4.5 * sd1 + 1e-12, `mean ${s1 / n} vs ${m1}`);
    assert.ok(Math.abs(s2 / n - m2) <= 4.5 * sd2 + 1e-12, `E[X²] ${s2 / n} vs ${m2}`);
  });
}

test('normal draws (ziggurat) have the right tails: lognormal exceedances at 1, 2.5 and 3.5 sigma', () => {
  const draw = makeSampler({ kind: 'lognormal', mu: 0, sigma: 1 }, new RandomStreams(9, 0).stream('tails'));
  const n = 1_000_000;
  const k = [1, 2.5, 3.5].map((z) => Math.exp(z));
  const over = [0, 0, 0];
  let below = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    for (let j = 0; j < 3; j++) if (x > k[j]!) over[j]!++;
    if (x < Math.exp(-2.5)) below++;
  }
  const expected = [0.158655254, 0.00620966533, 0.000232629079];
  expected.forEach((p, j) => {
    const sd = Math.sqrt((p * (1 - p)) / n);
    assert.ok(Math.abs(over[j]! / n - p) < 4.5 * sd, `P(Z > ${[1, 2.5, 3.5][j]}) = ${over[j]! / n}, expected ${p}`);
  });
  const p = expected[1]!;
  assert.ok(Math.abs(below / n - p) < 4.5 * Math.sqrt((p * (1 - p)) / n), `P(Z < -2.5) = ${below / n}`);
});

test("capsim's Alea is seedrandom's alea, bit for bit", () => {
  for (const seed of ['capsim/42/0/traffic/arrivals', 'capsim/7/3/endpoint/api/phase/0', '', 'x']) {
    const ours = new Alea(seed);
    const theirs = seedrandom.alea(seed);
    for (let i = 0; i < 100_000; i++) assert.equal(ours.next(), theirs(), `${seed}: draw ${i}`);
  }
});

test('Draw draws what makeSampler draws from the same stream, bit for bit, for every kind', () => {
  for (const [name, spec] of specs) {
    const streams = new RandomStreams(5, 2);
    const closure = makeSampler(spec, streams.stream(name));
    const draw = new Draw(spec, streams.alea(name));
    for (let i = 0; i < 50_000; i++) assert.equal(draw.draw(), closure(), `${name}: draw ${i}`);
  }
});
