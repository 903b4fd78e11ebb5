// Mechanism 4: the balancer's idle timeout. A request without a response within
// balancer.idleTimeout ends 504 idle-timeout exactly then, while the worker keeps working on it.
//
// Scenario (by hand): one uWSGI sync worker, service 3 s, idle timeout 5 s. Two users send at
// 10 s; a burst of one more request arrives at 15.5 s.
//   #1 served 10–13 s: 200 (3 s).
//   #2 queued, served 13–16 s: its 5 s run out at 15 s -> 504 idle-timeout (5 s).
//   #3 arrives at 15.5 s: the worker is still busy with #2 until 16 s, so #3 is served
//      16–19 s: 200 in 3.5 s. (Were the worker freed at the 504, #3 would take 3 s.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, failures, near, run, sojournSum, NO_BASE_RATE, type Tree } from './harness.js';

const model = (idle: string, service = 'const(3s)'): Tree =>
  base({
    simulation: { duration: '20s' },
    traffic: { users: { count: 2, think: 'const(10s)' }, bursts: { every: 'const(15.5s)', size: 1 }, phases: [{ wait: service }] },
    balancer: { idleTimeout: idle },
    fleet: { server: { kind: 'uwsgi', mode: 'sync', workers: 1 } },
  });

test('idle timeout: 504 exactly at the timeout, and the worker keeps working on the request', () => {
  const x = run(model('5s'));
  assert.equal(x.r.arrivals, 3);
  assert.deepEqual(failures(x), { 'idle-timeout': 1 });
  assert.equal(x.status['504'], 1);
  assert.equal(x.cause.ok, 2);
  near(x.r.latencyMs.max, 3500, 1e-6, 'the request behind the timed-out one (ms)');
  near(x.r.latencyMs.mean, (3000 + 3500) / 2, 1e-6, 'mean latency of the 200s (ms)');
  near(sojournSum(x), 3 + 5 + 3.5, 1e-9, 'response times: 3 s, 5 s (the 504), 3.5 s');
  // #3 waited 0.5 s in the accept queue for the worker to finish #2.
  near(x.r.queueWaitMs.mean, (0 + 3000 + 500) / 3, 1e-6, 'mean accept-queue wait (ms)');
});

test('idle timeout, negative: a timeout longer than every response time: no 504', () => {
  // #2 takes 6 s (3 queued + 3 served): an idle timeout of 6.5 s lets it through.
  const x = run(model('6.5s'));
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 3);
});

test('idle timeout: a request slower than the timeout by itself ends 504 at the timeout', () => {
  // One request at 1 s serving 8 s, timeout 5 s: 504 at 6 s with response time exactly 5 s.
  const x = run(
    base({
      simulation: { duration: '19.5s' },
      traffic: { rate: NO_BASE_RATE, bursts: { every: 'const(1s)', size: 1 }, phases: [{ wait: 'const(8s)' }] },
      balancer: { idleTimeout: '5s' },
      fleet: { overflow: 'refuse', server: { kind: 'uwsgi', mode: 'sync', workers: 20 } },
    }),
  );
  // Bursts every 1 s: 19 requests (1..19 s) in a 19.5 s window; those at 1..14 s time out by 19 s.
  assert.equal(x.r.arrivals, 19);
  assert.deepEqual(failures(x), { 'idle-timeout': 14 });
  assert.equal(x.r.finished, 14);
  near(x.r.little.W, 5, 1e-9, 'each 504 after exactly 5 s');
});
