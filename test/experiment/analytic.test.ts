import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analytic, erlangC, mmck } from '../../src/experiment/analytic.js';
import { smallModel } from './fixtures.js';

test('Erlang C and M/M/c/K against hand-computed values', () => {
  assert.ok(Math.abs(erlangC(2, 1) - 1 / 3) < 1e-12);
  assert.ok(Math.abs(erlangC(1, 0.5) - 0.5) < 1e-12); // M/M/1: P(wait) = ρ
  // M/M/1/2 at a = 1: p0 = p1 = p2 = 1/3.
  const r = mmck(1, 2, 1, 1);
  assert.ok(Math.abs(r.loss - 1 / 3) < 1e-12);
  assert.ok(Math.abs(r.wait - 0.5) < 1e-12);
  // M/M/c/K with a huge K is M/M/c.
  const big = mmck(4, 400, 3, 1);
  assert.ok(Math.abs(big.wait - erlangC(4, 3)) < 1e-9);
});

test('which closed form applies', () => {
  const finite = analytic(smallModel());
  assert.equal(finite.method, 'mmck');
  assert.ok(finite.per5min502! > 0);
  assert.ok(Math.abs(finite.serviceMs! - 400) < 1e-9);
  const unlimited = analytic(smallModel(['fleet.server.backlog=unlimited']));
  assert.equal(unlimited.method, 'erlang-c');
  assert.ok(Math.abs(unlimited.utilization! - 0.8) < 1e-12); // 8/s × 0.4 s / 4 workers
  assert.ok(Math.abs(unlimited.waitProbability! - erlangC(4, 3.2)) < 1e-12);
  const recycled = analytic(smallModel(['fleet.server.backlog=unlimited', 'fleet.server.maxRequests=1000']));
  assert.equal(recycled.method, 'allen-cunneen');
  assert.match(recycled.note, /recycling not in the formula/);
  // Under gevent only the part of a request that holds the process counts: waits overlap.
  const gevent = analytic(smallModel(['fleet.server.mode=gevent', 'fleet.server.concurrency=10', 'traffic.phases.1.cpu=exp(20ms)']));
  assert.equal(gevent.method, 'allen-cunneen');
  assert.ok(Math.abs(gevent.serviceMs! - 20) < 1e-9);
  assert.ok(Math.abs(gevent.latencyMs! - (420 + gevent.queueWaitMs!)) < 1e-9);
  assert.equal(analytic(smallModel(['fleet.server.mode=gevent', 'fleet.server.concurrency=10'])).method, null);
  const over = analytic(smallModel(['fleet.server.backlog=unlimited', 'fleet.server.workers=3']));
  assert.equal(over.stable, false);
  assert.equal(over.queueWaitMs, null);
});
