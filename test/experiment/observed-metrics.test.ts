// The metrics CloudWatch observations speak about: names that read back, and estimates from the
// replication fields they stand for (memory, the request rate, healthy targets, connection errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONNECTION_ERROR_CAUSES, estimate, metricName, parseMetricName } from '../../src/experiment/metrics.js';
import { runReplication } from '../../src/experiment/replication.js';
import { parseSlo } from '../../src/experiment/slo.js';
import { CAUSES } from '../../src/model/outcome.js';
import { smallModel } from './fixtures.js';

test('the new metric names read back as themselves', () => {
  for (const name of ['memory', 'memory-max', 'requests/min', 'healthy-hosts', 'unhealthy-hosts', 'conn-errors/5min']) {
    const m = parseMetricName(name);
    assert.ok(m, name);
    assert.equal(metricName(m), name);
  }
  assert.deepEqual(parseMetricName('Requests / min'), { kind: 'requests' });
  assert.equal(parseMetricName('memory-min'), undefined);
  // as SLOs: memory is a share (80% or 0.8), the others plain numbers
  assert.equal(parseSlo('memory<=80%').threshold, 0.8);
  assert.equal(parseSlo('memory-max<=0.9').threshold, 0.9);
  assert.equal(parseSlo('conn-errors/5min<=1').threshold, 1);
  assert.throws(() => parseSlo('healthy-hosts<=4ms'), /"4ms" is not a number \(targets\)/);
});

test('estimates from replications: requests per minute, connection errors per 5 minutes, targets, memory', () => {
  const model = smallModel(['traffic.rate=14/s', 'fleet.memory=2GiB']);
  const reps = [0, 1, 2].map((r) => runReplication(model, r));
  const seconds = model.simulation.duration;
  const rate = estimate({ kind: 'requests' }, reps, seconds);
  assert.ok(Math.abs(rate.mean - (reps.reduce((a, r) => a + r.arrivals, 0) / 3) * (60 / seconds)) < 1e-9);
  assert.ok(rate.lo < 14 * 60 && rate.hi > 14 * 60, JSON.stringify(rate));
  // overflow: refuse with a backlog of 4 at 14/s on 4 workers: backlog-overflow 502s, every one a connection error
  const idx = CONNECTION_ERROR_CAUSES.map((c) => CAUSES.findIndex((x) => x.name === c));
  const errors = reps.map((r) => idx.reduce((a, i) => a + r.cause[i]!, 0));
  assert.ok(errors.every((e) => e > 0), JSON.stringify(errors));
  const ce = estimate({ kind: 'conn-errors' }, reps, seconds);
  assert.ok(Math.abs(ce.mean - (errors.reduce((a, b) => a + b, 0) / 3) * (300 / seconds)) < 1e-9);
  const healthy = estimate({ kind: 'hosts', healthy: true }, reps, seconds);
  const unhealthy = estimate({ kind: 'hosts', healthy: false }, reps, seconds);
  assert.ok(Math.abs(healthy.mean + unhealthy.mean - model.fleet.containers) < 1e-9);
  assert.ok(healthy.hi <= model.fleet.containers && unhealthy.lo >= 0);
  const mem = estimate({ kind: 'memory', stat: 'mean' }, reps, seconds);
  const peak = estimate({ kind: 'memory', stat: 'max' }, reps, seconds);
  assert.ok(mem.mean > 0 && mem.mean <= peak.mean && peak.hi <= 1, `${JSON.stringify(mem)} ${JSON.stringify(peak)}`);
});
