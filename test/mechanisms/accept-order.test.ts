// Which idle worker accepts a connection. uWSGI 2.0 wakes every worker blocked on the listen
// socket (no EPOLLEXCLUSIVE) and users measure a stable favourite (unbit/uwsgi#1605: ~70% of
// requests to one gevent worker): acceptOrder `favourite` (uWSGI gevent's default) gives each
// connection to the lowest-numbered idle worker; `lifo` to the most recently idle; `fifo` to the
// longest idle. mechanisms.busiestWorkerShare is the share of a container's requests its
// busiest worker slot accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, run, type Tree } from './harness.js';

const gevent = (acceptOrder: string | undefined, traffic: Tree): Tree =>
  base({
    simulation: { duration: '39.5s' },
    traffic: { ...traffic, phases: [{ cpu: 'const(10ms)' }] },
    balancer: { kind: 'alb' },
    fleet: { vcpu: 2, server: { kind: 'uwsgi', version: '2.0.15', mode: 'gevent', workers: 2, concurrency: 10, ...(acceptOrder ? { acceptOrder } : {}) } },
  });

test('accept order: one request at a time goes to the favourite every time; fifo alternates', () => {
  // 20 requests 1 s apart from 20 s (10 ms each): both workers are idle at every arrival.
  const spaced = burst(20, 20, '20s');
  const fav = run(gevent(undefined, spaced));
  assert.equal(fav.model.fleet.server.acceptOrder, 'favourite', "uWSGI gevent's default");
  assert.equal(fav.r.mechanisms.busiestWorkerShare, 1);
  // fifo: the worker idle longest takes it: w0, w1, w0, … exactly half each.
  assert.equal(run(gevent('fifo', spaced)).r.mechanisms.busiestWorkerShare, 0.5);
  // lifo: the one that has just finished is the most recently idle: the same worker again.
  assert.equal(run(gevent('lifo', spaced)).r.mechanisms.busiestWorkerShare, 1);
});

test('accept order: under load the favourite takes what it can and the other worker the rest', () => {
  // Pairs 4 ms apart, every 100 ms (10 ms of CPU each, 2 vCPU): the first of a pair finds both
  // workers idle, the second finds one busy. favourite: the first always goes to w0, the second
  // to w1: exactly half. lifo: the first goes to whichever finished last (w1, which served the
  // second of the previous pair), the second to the other: half too. The difference shows with
  // Poisson arrivals: the favourite keeps most of them.
  const pairs = { rate: '0.001/d', bursts: { every: 'const(100ms)', size: 2, over: '8ms' } };
  assert.equal(run(gevent('favourite', pairs)).r.mechanisms.busiestWorkerShare, 0.5);
  const poisson = { rate: '30/s' };
  const fav = run(gevent('favourite', poisson)).r.mechanisms.busiestWorkerShare;
  const fifo = run(gevent('fifo', poisson)).r.mechanisms.busiestWorkerShare;
  // At 30/s × 10 ms the favourite is busy 30% of the time at most, so it takes ≥ 70%.
  assert.ok(fav > 0.7, `favourite ${fav}`);
  assert.ok(Math.abs(fifo - 0.5) < 0.05, `fifo ${fifo}`);
});
