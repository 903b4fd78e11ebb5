import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DistSpec } from '../../../src/kernel/distribution-spec.js';
import { parseDistribution } from '../../../src/scenario/distribution-syntax.js';
import { formatDistribution, formatDuration, formatRate, formatSize } from '../../../src/scenario/format.js';
import { parseDuration, parseSize } from '../../../src/scenario/units.js';

test('durations are written as people write them', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [0.25, '250ms'],
    [0.005, '5ms'],
    [0.0005, '500us'],
    [1.5, '1.5s'],
    [60, '60s'],
    [90, '90s'],
    [300, '5m'],
    [3600, '1h'],
    [7200, '2h'],
    [86400, '24h'],
    [0.0002, '200us'],
  ];
  for (const [s, text] of cases) {
    assert.equal(formatDuration(s), text);
    assert.ok(Math.abs(parseDuration(text) - s) <= 1e-12 * s, text);
  }
});

test('sizes in binary units when exact, else decimal, else bytes', () => {
  const cases: Array<[number, string]> = [
    [0, '0'],
    [120 * 1024 ** 2, '120MiB'],
    [2 * 1024 ** 3, '2GiB'],
    [8 * 1024, '8KiB'],
    [1.5 * 1024 ** 3, '1.5GiB'],
    [2e9, '2GB'],
    [1000, '1KB'],
    [1001, '1001B'],
  ];
  for (const [b, text] of cases) {
    assert.equal(formatSize(b), text);
    if (b > 0) assert.equal(parseSize(text), b);
  }
  assert.equal(formatSize(Infinity), 'unlimited');
});

test('rates per second and per minute', () => {
  assert.equal(formatRate(19000 / 60), '316.667/s (19000/min)');
  assert.equal(formatRate(4), '4/s (240/min)');
});

test('distributions are written in the input syntax and parse back to the same spec', () => {
  const texts = [
    'const(1s)',
    'exp(4ms)',
    'uniform(1s, 3s)',
    'normal(mean=6ms, sd=2ms)',
    'lognormal(mean=6ms, sd=5ms)',
    'lognormal(median=1.5s, p99=4s)',
    'gamma(shape=2, scale=3ms)',
    'weibull(shape=1.5, scale=10ms)',
    'pareto(shape=2.5, scale=5ms)',
    'empirical(0: 1ms, 0.5: 4ms, 0.9: 10ms, 1: 80ms)',
    'mix(0.9: exp(5ms), 0.1: lognormal(median=1s, p99=5s))',
  ];
  for (const text of texts) {
    const spec = parseDistribution(text);
    assert.equal(formatDistribution(spec), text);
    assertClose(parseDistribution(formatDistribution(spec)), spec);
  }
  // Gamma given by its moments comes back by its moments.
  assert.equal(formatDistribution(parseDistribution('gamma(mean=7ms, sd=3ms)')), 'gamma(mean=7ms, sd=3ms)');
  assert.equal(formatDistribution(parseDistribution('250ms')), 'const(250ms)');
});

function assertClose(a: DistSpec, b: DistSpec): void {
  const na = JSON.parse(JSON.stringify(a)) as Record<string, unknown>;
  const nb = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
  const walk = (x: unknown, y: unknown): void => {
    if (typeof x === 'number' && typeof y === 'number') {
      assert.ok(Math.abs(x - y) <= 1e-3 * Math.max(Math.abs(y), 1e-12), `${x} vs ${y}`);
    } else if (x !== null && typeof x === 'object') {
      for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
    } else {
      assert.equal(x, y);
    }
  };
  walk(na, nb);
}
