// Mechanism 1: a recycling worker still busy at its reload-mercy deadline is SIGKILLed, and
// every request still in it ends 502 worker-killed.
//
// Scenario (counted by hand): one uWSGI gevent worker (10 async cores), maxRequests 1,
// min-worker-lifetime 0. Four requests arrive at 50, 51, 52 and 53 s, each waiting 10 s (a
// gevent wait yields, so all four run at once). The first ends at 60 s: the worker has served
// 1 and starts recycling (stops accepting, drains). The others end at 61, 62, 63 s.
//   mercy 1.5 s -> deadline 61.5 s: #2 finished (61 s), #3 and #4 are in flight: 2 × 502.
//   mercy 5 s   -> deadline 65 s: all done by 63 s (exit 20 ms later): no kill, no 502.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, failures, run, type Tree } from './harness.js';

const model = (mercy: string, extra: Tree = {}): Tree =>
  base({
    simulation: { duration: '70s' },
    traffic: { ...burst(4, 50, '4s'), phases: [{ wait: 'const(10s)' }] },
    fleet: {
      server: {
        kind: 'uwsgi',
        version: '2.0.15',
        mode: 'gevent',
        workers: 1,
        concurrency: 10,
        maxRequests: 1,
        minWorkerLifetime: '0s',
        reloadMercy: mercy,
        respawn: 'const(1s)',
        ...extra,
      },
    },
  });

test('mercy kill: the requests in flight at the deadline end 502 worker-killed; sigkills has mercy', () => {
  const x = run(model('1.5s'));
  assert.equal(x.r.arrivals, 4);
  assert.deepEqual(failures(x), { 'reload-mercy': 2 });
  assert.equal(x.cause.ok, 2);
  assert.equal(x.status['504'], 2, 'Classic ELB: a target closing the connection is a 504 (Cause 2)');
  assert.equal(x.r.mercyExits, 1);
  assert.equal(x.killTotal, 0, 'the time bomb exits: no SIGKILL');
  assert.equal(x.r.recycles, 1);
  assert.equal(x.r.mechanisms.drainKills, 1);
  assert.equal(x.r.mechanisms.drains, 0);
  assert.equal(x.r.respawns, 1, 'respawned 1 s after the kill (62.5 s)');
});

test('mercy kill: a mercy that just misses the third request kills only the fourth', () => {
  // deadline 62.5 s: #3 ended at 62 s, #4 (63 s) is still in flight.
  const x = run(model('2.5s'));
  assert.deepEqual(failures(x), { 'reload-mercy': 1 });
  assert.equal(x.cause.ok, 3);
  assert.equal(x.r.mercyExits, 1);
});

test('mercy kill, negative: drains that finish within the mercy exit cleanly: no kill, no 502', () => {
  const x = run(model('5s'));
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 4);
  assert.equal(x.killTotal, 0);
  assert.equal(x.r.recycles, 1);
  assert.equal(x.r.mechanisms.drains, 1);
  assert.equal(x.r.mechanisms.drainKills, 0);
});

test('mercy kill, negative: without maxRequests nothing recycles, whatever the mercy', () => {
  const x = run(model('1.5s', { maxRequests: 0 }));
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 4);
  assert.equal(x.r.recycles, 0);
  assert.equal(x.killTotal, 0);
});

test('mercy kill: uWSGI worker-reload-mercy defaults to 60 s, gunicorn graceful_timeout to 30 s', () => {
  // Two requests 40 s apart (300 s, 340 s), each waiting 100 s: the first ends at t0+100
  // (recycle), the second would end at t0+140. Deadline t0+160 (uWSGI 60 s): it finishes; t0+130
  // (gunicorn 30 s): it is killed. Idle timeout raised so the balancer waits.
  const m = (server: Tree): Tree =>
    base({
      simulation: { duration: '500s' },
      traffic: { ...burst(2, 300, '80s'), phases: [{ wait: 'const(100s)' }] },
      balancer: { idleTimeout: '1000s' },
      fleet: { server: { workers: 1, mode: 'gevent', concurrency: 10, maxRequests: 1, respawn: 'const(1s)', ...server } },
    });
  const u = run(m({ kind: 'uwsgi', minWorkerLifetime: '0s' }));
  assert.deepEqual(failures(u), {});
  assert.equal(u.cause.ok, 2);
  // gunicorn: its default timeout (30 s) would not fire (gevent hub not blocked by a wait).
  const g = run(m({ kind: 'gunicorn', keepAlive: '0s' }));
  assert.deepEqual(failures(g), { 'reload-mercy': 1 });
  assert.equal(g.r.mercyExits, 1);
});
