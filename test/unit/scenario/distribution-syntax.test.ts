import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DistSpec } from '../../../src/kernel/distribution-spec.js';
import { mean } from '../../../src/kernel/distribution-spec.js';
import { DistributionError, parseDistribution, Z99 } from '../../../src/scenario/distribution-syntax.js';
import { UnitError } from '../../../src/scenario/units.js';

const close = (actual: number, expected: number, rel = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300), `${actual} is not ${expected}`);

function bad(text: string, pattern: RegExp): DistributionError {
  try {
    parseDistribution(text);
  } catch (e) {
    assert.ok(e instanceof DistributionError, `expected a DistributionError for ${text}, got ${String(e)}`);
    assert.ok(e instanceof UnitError);
    assert.match(e.message, pattern);
    return e;
  }
  return assert.fail(`${text} parsed`);
}

test('a bare duration and const() are constants in seconds', () => {
  assert.deepEqual(parseDistribution('250ms'), { kind: 'const', value: 0.25 });
  assert.deepEqual(parseDistribution('const(1s)'), { kind: 'const', value: 1 });
  assert.deepEqual(parseDistribution('const(value=2m)'), { kind: 'const', value: 120 });
  assert.deepEqual(parseDistribution('0'), { kind: 'const', value: 0 });
});

test('exp, uniform and normal, positional or named, whitespace-tolerant', () => {
  assert.deepEqual(parseDistribution('exp(4ms)'), { kind: 'exp', mean: 0.004 });
  assert.deepEqual(parseDistribution('  exp ( mean = 4ms )  '), { kind: 'exp', mean: 0.004 });
  assert.deepEqual(parseDistribution('uniform(1s, 3s)'), { kind: 'uniform', min: 1, max: 3 });
  assert.deepEqual(parseDistribution('uniform(min=1s, max=3s)'), { kind: 'uniform', min: 1, max: 3 });
  assert.deepEqual(parseDistribution('uniform(max=3s, min=1s)'), { kind: 'uniform', min: 1, max: 3 });
  assert.deepEqual(parseDistribution('uniform(2s,2s)'), { kind: 'uniform', min: 2, max: 2 });
  assert.deepEqual(parseDistribution('normal(6ms, 2ms)'), { kind: 'normal', mean: 0.006, sd: 0.002 });
  assert.deepEqual(parseDistribution('normal(mean=6ms, sd=2ms)'), { kind: 'normal', mean: 0.006, sd: 0.002 });
});

test('lognormal(mean, sd) round-trips its mean and sd', () => {
  for (const [m, s] of [[0.006, 0.005], [1.5, 0.5], [0.004, 0.004], [2, 0]] as const) {
    const d = parseDistribution(`lognormal(mean=${m * 1000}ms, sd=${s * 1000}ms)`);
    assert.equal(d.kind, 'lognormal');
    if (d.kind !== 'lognormal') return;
    close(Math.exp(d.mu + d.sigma ** 2 / 2), m);
    const variance = (Math.exp(d.sigma ** 2) - 1) * Math.exp(2 * d.mu + d.sigma ** 2);
    close(Math.sqrt(variance), s, 1e-9);
    close(d.sigma ** 2, Math.log(1 + (s * s) / (m * m)));
  }
});

test('lognormal(median, p99) puts the median and the 99th percentile where asked', () => {
  const d = parseDistribution('lognormal(median=4ms, p99=40ms)');
  assert.equal(d.kind, 'lognormal');
  if (d.kind !== 'lognormal') return;
  close(Math.exp(d.mu), 0.004);
  close(Math.exp(d.mu + Z99 * d.sigma), 0.04);
  close(d.sigma, Math.log(10) / 2.326347874);
});

test('gamma, weibull and pareto', () => {
  const g = parseDistribution('gamma(mean=6ms, sd=3ms)');
  assert.equal(g.kind, 'gamma');
  if (g.kind === 'gamma') {
    close(g.shape, 4);
    close(g.scale, 0.0015);
    close(mean(g), 0.006);
  }
  assert.deepEqual(parseDistribution('gamma(shape=2, scale=3ms)'), { kind: 'gamma', shape: 2, scale: 0.003 });
  assert.deepEqual(parseDistribution('weibull(shape=1.5, scale=10ms)'), { kind: 'weibull', shape: 1.5, scale: 0.01 });
  assert.deepEqual(parseDistribution('weibull(1.5, 10ms)'), { kind: 'weibull', shape: 1.5, scale: 0.01 });
  assert.deepEqual(parseDistribution('pareto(shape=2.5, scale=5ms)'), { kind: 'pareto', shape: 2.5, scale: 0.005 });
});

test('empirical quantile tables', () => {
  assert.deepEqual(parseDistribution('empirical(0: 1ms, 0.5: 4ms, 0.9: 10ms, 1: 80ms)'), {
    kind: 'empirical',
    probs: [0, 0.5, 0.9, 1],
    values: [0.001, 0.004, 0.01, 0.08],
  });
  assert.deepEqual(parseDistribution('empirical(0:1s,1:1s)'), { kind: 'empirical', probs: [0, 1], values: [1, 1] });
});

test('mixtures take probabilities as weights and nest any form', () => {
  const d = parseDistribution('mix(0.9: exp(5ms), 0.1: lognormal(median=1s, p99=5s))');
  assert.equal(d.kind, 'mixture');
  if (d.kind !== 'mixture') return;
  assert.deepEqual(d.weights, [0.9, 0.1]);
  assert.deepEqual(d.parts[0], { kind: 'exp', mean: 0.005 });
  assert.equal(d.parts[1]!.kind, 'lognormal');
  const w = parseDistribution('mix(0.75: 1s, 0.25: mix(0.5: exp(1s), 0.5: uniform(1s, 2s)))') as DistSpec & { kind: 'mixture' };
  assert.deepEqual(w.weights, [0.75, 0.25]);
  assert.deepEqual(w.parts[0], { kind: 'const', value: 1 });
  assert.deepEqual(w.parts[1], {
    kind: 'mixture',
    weights: [0.5, 0.5],
    parts: [{ kind: 'exp', mean: 1 }, { kind: 'uniform', min: 1, max: 2 }],
  });
  close(mean(w), 0.75 * 1 + 0.25 * (0.5 * 1 + 0.5 * 1.5));
});

test('malformed distributions say what is wrong and the expected form', () => {
  bad('lognormal(mean=6ms)', /lognormal\(\): missing parameter "sd"; expected lognormal\(mean=M, sd=S\) or lognormal\(median=M, p99=P\)/);
  bad('exp(-1s)', /exp\(\): mean must not be negative \("-1s"\); expected exp\(MEAN\)/);
  bad('exp(0s)', /exp\(\): mean must be > 0/);
  bad('foo(1s)', /unknown distribution "foo"; expected one of const, exp, uniform, normal, lognormal, gamma, weibull, pareto, empirical, mix/);
  bad('exp(4 parsecs)', /exp\(\): mean: unknown time unit "parsecs".*; expected a duration such as 250ms/);
  bad('empirical(0.1: 1ms, 1: 2ms)', /empirical\(\): the first probability must be 0, not 0.1; expected empirical\(0: D/);
  bad('empirical(0: 1ms, 0.9: 2ms)', /the last probability must be 1, not 0.9/);
  bad('empirical(0: 1ms, 0.5: 3ms, 0.5: 4ms, 1: 5ms)', /probabilities must rise strictly/);
  bad('empirical(0: 5ms, 1: 2ms)', /values must not decrease/);
  bad('exp(4ms', /unbalanced parentheses: "\(" at position 4 is never closed/);
  bad('exp(4ms))', /unbalanced parentheses: unexpected "\)" at position 9/);
  bad('mix(0.9: exp(5ms), 0.1: exp(1s)', /unbalanced parentheses/);
  bad('exp(mean=4ms, rate=2)', /exp\(\): unknown parameter "rate" \(known: mean\)/);
  bad('lognormal(6ms, 5ms)', /lognormal\(\): name the parameters/);
  bad('lognormal(mean=6ms, p99=5ms)', /do not go together/);
  bad('lognormal(median=4ms, p99=3ms)', /p99 must be > median/);
  bad('uniform(3s, 1s)', /min must be <= max/);
  bad('gamma(mean=6ms, sd=0)', /sd must be > 0/);
  bad('weibull(shape=0, scale=1s)', /shape must be at least 0.1/);
  bad('pareto(shape=2ms, scale=1s)', /shape: "2ms" is not a number; expected a plain number/);
  bad('exp(mean=4ms, mean=5ms)', /given twice/);
  bad('mix(0: exp(1s), 1: exp(2s))', /weight 0 must be > 0/);
  bad('mix(exp(1s))', /needs the form P: VALUE/);
  bad('', /empty distribution/);
  bad('4', /has no unit/);
});

test('every parameter is finite and bounded: no draw can overflow, no typo runs forever', () => {
  bad('exp(1e309ms)', /exp\(\): mean: "1e309ms" is not a finite number; expected a duration/);
  bad('exp(20000d)', /exp\(\): mean: "20000d" is above the largest capsim accepts \(10000d\)/);
  bad('const(1e300s)', /above the largest capsim accepts/);
  bad('lognormal(median=1ms, p99=1e309s)', /p99: "1e309s" is not a finite number/);
  bad('pareto(shape=0.05, scale=1ms)', /pareto\(\): shape must be at least 0.1 \(a heavier tail draws times that overflow\)/);
  bad('weibull(shape=0.01, scale=1ms)', /shape must be at least 0.1/);
  bad('gamma(shape=1e309, scale=1ms)', /shape: "1e309" is not a finite number/);
  bad('gamma(shape=5000, scale=1ms)', /shape 5000 is above 1000/);
});

test('mixture weights are probabilities: a sum other than 1 is an error, never rescaled', () => {
  bad('mix(0.5: exp(1ms), 0.3: exp(2ms))', /mix\(\): the weights sum to 0.8 \(0.5 \+ 0.3\), not 1; expected mix\(W: DIST/);
  bad('mix(3: 1s, 1: 2s)', /the weights sum to 4 \(3 \+ 1\), not 1/);
  // Decimal fractions that sum to 1 up to rounding are fine.
  const d = parseDistribution('mix(0.1: 1ms, 0.2: 2ms, 0.7: 3ms)');
  assert.equal(d.kind, 'mixture');
  parseDistribution('mix(0.3333333: 1ms, 0.3333333: 2ms, 0.3333334: 3ms)');
});
