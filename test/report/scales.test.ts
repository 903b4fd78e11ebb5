// The value scales charts choose, and what counts as overloaded: linear while values span two
// decades at most, log beyond (symmetric log when 0 must show), and a fleet failing more than
// the 5xx guard allows is overloaded whatever its status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueScale, symlog } from '../../src/report/charts/spec.js';
import { OVERLOAD_SHARE, overloadOf, shareText } from '../../src/report/charts/overload.js';
import type { RunResult } from '../../src/experiment/summarize.js';

test('linear within two decades; log beyond, with powers of ten for ticks; symlog when 0 is among the values', () => {
  assert.equal(valueScale([20, 40, 1900]).kind, 'linear');
  const log = valueScale([20, 111, 879, 59_745]);
  assert.equal(log.kind, 'log');
  assert.deepEqual(log.scale['domain'], [10, 100_000]);
  assert.equal(log.floor, 10);
  const sym = valueScale([0, 0, 3, 48_000]);
  assert.equal(sym.kind, 'symlog');
  assert.equal(sym.scale['constant'], 1);
  assert.deepEqual((sym.axis['values'] as number[]).slice(0, 3), [0, 1, 10]);
  assert.match(sym.note, /linear below it, so that 0 shows/);
  // Latency is always on a log axis, even when narrow.
  assert.equal(valueScale([40, 45], { alwaysLog: true }).kind, 'log');
  // A colour scale keeps 0 apart from counts ten times apart.
  assert.equal(valueScale([0, 1_182, 47_594]).kind, 'linear');
  assert.equal(valueScale([0, 1_182, 47_594], { zeroApart: true }).kind, 'symlog');
  // Negative values (an unclipped bound) never decide the scale.
  assert.equal(valueScale([-4_754, 25_647, 56_047]).kind, 'linear');
  assert.ok(Math.abs(symlog(9, 1) - Math.log(10)) < 1e-12);
});

const result = (requests: number, counts: Record<string, number>): RunResult =>
  ({ requests: { mean: requests, ci95: [null, null] }, status: Object.fromEntries(['500', '502', '503', '504'].map((s) => [s, { mean: counts[s] ?? 0, ci95: [null, null] }])) }) as unknown as RunResult;

test('overloaded: more than the 5xx guard fails, whatever the status; named by its main status', () => {
  assert.equal(OVERLOAD_SHARE, 0.01);
  const shed = overloadOf(result(100_000, { '504': 12_000, '502': 3 }));
  assert.equal(shed.over, true);
  assert.equal(shed.status, '504');
  assert.equal(shed.text, '12% fail (504)');
  const trickle = overloadOf(result(100_000, { '502': 900 }));
  assert.equal(trickle.over, false);
  assert.equal(trickle.text, '0.9% fail (502)');
  assert.equal(overloadOf(result(100_000, {})).text, '0% fail');
  assert.equal(shareText(0.0000001), '<0.001%');
});
