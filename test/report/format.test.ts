import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDecimal, num } from '../../src/report/format.js';

// formatDecimal stands in for toLocaleString('en-US') (which loads ICU at start-up): it must print
// exactly what Intl prints, ties and carries included.
const intl = (x: number, d: number) => x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d });

test('formatDecimal prints what Intl prints: ties on the shortest decimal form, carries, grouping, signs', () => {
  const cases: [number, number][] = [
    [1.005, 2], [2.5, 0], [-2.5, 0], [0.125, 2], [1234.5, 0], [999.95, 1], [999.995, 2], [9999999.5, 0],
    [0.0004, 3], [0.0005, 3], [-0.0004, 3], [-0, 2], [0, 0], [1e21, 0], [123456789012, 0], [1.5e-7, 6],
    [0.000001, 6], [0.0000005, 6], [0.00000049, 6], [45.678, 1], [1e-10, 2], [12345.678, 6],
  ];
  for (const [x, d] of cases) assert.equal(formatDecimal(x, d), intl(x, d), `${x} with ${d} decimals`);
});

test('formatDecimal agrees with Intl on 20,000 random values across magnitudes', () => {
  let seed = 3;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 20000; i++) {
    const mag = 10 ** Math.floor(rnd() * 20 - 8);
    // Values on a coarse decimal grid land on ties often; the others are arbitrary doubles.
    const raw = rnd() * 1000 * mag;
    const x = (rnd() < 0.3 ? -1 : 1) * (rnd() < 0.5 ? Math.round(raw * 1000) / 1000 : raw);
    const d = Math.floor(rnd() * 7);
    assert.equal(formatDecimal(x, d), intl(x, d), `${x} with ${d} decimals`);
  }
});

test('num keeps about three significant digits and groups large values', () => {
  assert.equal(num(1234567.8), '1,234,568');
  assert.equal(num(12.345), '12.3');
  assert.equal(num(0.012345), '0.0123');
  assert.equal(num(0), '0');
  assert.equal(num(null), '—');
  assert.equal(num(-3.14159), '-3.14');
});
