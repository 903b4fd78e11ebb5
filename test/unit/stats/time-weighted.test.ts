import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeWeighted } from '../../../src/stats/time-weighted.js';

const EPS = 1e-12;

test('TimeWeighted averages a piecewise-constant signal by duration', () => {
  const tw = new TimeWeighted(); // value 0 from t = 0
  tw.set(2, 3); // 0 on [0,2)
  tw.set(5, 1); // 3 on [2,5)
  // 1 on [5,10): (0·2 + 3·3 + 1·5) / 10 = 1.4
  assert.ok(Math.abs(tw.mean(10) - 1.4) < EPS, String(tw.mean(10)));
  assert.equal(tw.max, 3);
  assert.equal(tw.value, 1);
  // mean() does not consume time: asking again later extends the integral.
  assert.ok(Math.abs(tw.mean(20) - (14 + 10) / 20) < EPS);
});

test('TimeWeighted.add applies deltas like enqueue/dequeue', () => {
  const tw = new TimeWeighted(0, 0);
  tw.add(1, +1); // queue 1 on [1,3)
  tw.add(3, +1); // queue 2 on [3,4)
  tw.add(4, -2); // queue 0 on [4,8)
  // (0·1 + 1·2 + 2·1 + 0·4) / 8 = 0.5
  assert.ok(Math.abs(tw.mean(8) - 0.5) < EPS, String(tw.mean(8)));
  assert.equal(tw.max, 2);
  assert.equal(tw.value, 0);
});

test('TimeWeighted honours a non-zero start time and initial value', () => {
  const tw = new TimeWeighted(5, 2);
  assert.equal(tw.mean(5), 2, 'empty window returns the current value');
  assert.ok(Math.abs(tw.mean(15) - 2) < EPS);
  tw.set(10, 4); // 2 on [5,10), 4 on [10,15)
  assert.ok(Math.abs(tw.mean(15) - 3) < EPS);
});

test('TimeWeighted.reset at the end of warmup discards the transient but keeps the value', () => {
  const tw = new TimeWeighted();
  tw.set(1, 10); // big warmup transient
  tw.set(9, 1);
  tw.reset(10); // warmup ends; value 1 carries over
  assert.equal(tw.value, 1);
  assert.equal(tw.max, 1, 'max restarts from the current value');
  assert.equal(tw.mean(10), 1);
  tw.set(12, 4); // 1 on [10,12), 4 on [12,20)
  // (1·2 + 4·8) / 10 = 3.4 — without the reset the warmup would have dragged it to ~(80+1+2+32)/20.
  assert.ok(Math.abs(tw.mean(20) - 3.4) < EPS, String(tw.mean(20)));
  assert.equal(tw.max, 4);
});

test('TimeWeighted rejects time going backwards', () => {
  const tw = new TimeWeighted();
  tw.set(5, 1);
  assert.throws(() => tw.set(4, 2), RangeError);
  assert.throws(() => tw.mean(4), RangeError);
  assert.throws(() => tw.reset(4), RangeError);
});
