// Traffic shapes, routing and the uWSGI forkbomb throttle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, run } from './harness.js';

const quick = { phases: [{ wait: 'const(10ms)' }] };

test('profile: arrivals follow the piecewise-linear rate (triangle 0 → 100/s → 0 over 1000 s: 50,000 expected)', () => {
  const x = run(
    base({
      simulation: { duration: '1000s' },
      traffic: { profile: { period: '1000s', points: [{ at: '0s', rate: '0/s' }, { at: '500s', rate: '100/s' }] }, ...quick },
      fleet: { overflow: 'refuse', server: { workers: 20, backlog: 'unlimited' } },
    }),
  );
  // Poisson count: sd = sqrt(50,000) ≈ 224; 4.5 sd is a test that fails only if the rate is wrong.
  assert.ok(Math.abs(x.r.arrivals - 50_000) < 1000, `arrivals ${x.r.arrivals}`);
});

test('profile: scale multiplies every rate (the same triangle × 1.5: 75,000 expected)', () => {
  const x = run(
    base({
      simulation: { duration: '1000s' },
      traffic: { profile: { period: '1000s', scale: 1.5, points: [{ at: '0s', rate: '0/s' }, { at: '500s', rate: '100/s' }] }, ...quick },
      fleet: { overflow: 'refuse', server: { workers: 30, backlog: 'unlimited' } },
    }),
  );
  // sd = sqrt(75,000) ≈ 274; a scale ignored (50,000) or applied twice (112,500) is far outside.
  assert.ok(Math.abs(x.r.arrivals - 75_000) < 1200, `arrivals ${x.r.arrivals}`);
});

test('profile: the second half of a symmetric triangle gets as many arrivals as the first', () => {
  const m = (from: string, dur: string) =>
    run(
      base({
        simulation: { warmup: from, duration: dur },
        traffic: { profile: { period: '1000s', points: [{ at: '0s', rate: '0/s' }, { at: '500s', rate: '100/s' }] }, ...quick },
        fleet: { overflow: 'refuse', server: { workers: 20, backlog: 'unlimited' } },
      }),
    ).r.arrivals;
  const first = m('0s', '500s');
  const second = m('500s', '500s');
  assert.ok(Math.abs(first - 25_000) < 750 && Math.abs(second - 25_000) < 750, `${first} / ${second}`);
});

test('closed users: each user waits for its answer and thinks: exactly one request per user per (think + service)', () => {
  // 10 users, think 1 s, service 1 s: requests at 1, 3, 5 … 99 s: 50 per user in 100 s.
  const x = run(
    base({
      traffic: { users: { count: 10, think: 'const(1s)' }, phases: [{ wait: 'const(1s)' }] },
      fleet: { overflow: 'refuse', server: { workers: 10, backlog: 'unlimited' } },
    }),
  );
  assert.equal(x.r.arrivals, 500);
  assert.equal(x.status['2xx'], 500);
  // Fewer workers than users: the users slow down with the fleet (a closed loop), none fails.
  // (Connection: close: with constant times, requests leave exactly as responses do, and would
  // meet uWSGI's close after each response: close-race.test.ts.)
  const slow = run(
    base({
      traffic: { users: { count: 10, think: 'const(1s)' }, phases: [{ wait: 'const(1s)' }] },
      fleet: { overflow: 'refuse', server: { workers: 2, backlog: 'unlimited', connectionClose: true } },
    }),
  );
  assert.ok(slow.r.arrivals <= 2 * 100 + 10 && slow.r.arrivals >= 150, `arrivals ${slow.r.arrivals}`);
  assert.equal(slow.status['2xx'], slow.r.finished);
});

test('bursts: size requests evenly over `over`, every `every`', () => {
  // A burst of 20 over 2 s every 30 s on top of a negligible base: 3 bursts in 100 s (at 30, 60, 90 s).
  const x = run(
    base({
      traffic: { rate: '0.001/d', bursts: { every: 'const(30s)', size: 20, over: '2s' }, ...quick },
      fleet: { overflow: 'refuse', server: { workers: 1, backlog: 'unlimited' } },
    }),
  );
  assert.equal(x.r.arrivals, 60);
  // 10 ms of service 100 ms apart: nobody waits.
  assert.equal(x.r.waitProbability, 0);
});

test('routing: least-outstanding (Classic ELB) beats round robin on waiting at high load', () => {
  // Two tasks of one sync worker at ρ = 0.9: joining the shorter queue waits far less than alternating.
  const m = (kind: string) =>
    run(
      base({
        simulation: { duration: '20000s', seed: 3 },
        traffic: { rate: '1.8/s', phases: [{ wait: 'exp(1s)' }] },
        balancer: { kind, idleTimeout: '1000d' },
        fleet: { containers: 2, overflow: 'refuse', server: { workers: 1, backlog: 'unlimited' } },
      }),
    ).r.latencyMs.mean;
  const lor = m('elb');
  const rr = m('alb');
  assert.ok(lor < 0.75 * rr, `least-outstanding ${lor.toFixed(0)} ms vs round robin ${rr.toFixed(0)} ms`);
});

test('uWSGI forkbomb delay: workers respawning faster than one per worker per cycle put the master to sleep', () => {
  // maxRequests 1 at 2 requests/s: every request recycles its worker. With forkbomb-delay the
  // master sleeps 2 s whenever more than 2 respawns fall in one cycle: far fewer respawns, and
  // requests wait longer for a worker.
  const m = (forkbombDelay: string) =>
    run(
      base({
        simulation: { duration: '200s' },
        traffic: { rate: '2/s', phases: [{ wait: 'const(10ms)' }] },
        balancer: { idleTimeout: '1000s' },
        fleet: { overflow: 'refuse', server: { kind: 'uwsgi', workers: 2, maxRequests: 1, minWorkerLifetime: '0s', forkbombDelay, backlog: 'unlimited' } },
      }),
    ).r;
  const off = m('0s');
  const on = m('2s');
  assert.ok(on.respawns < 0.7 * off.respawns, `respawns ${on.respawns} with the delay vs ${off.respawns} without`);
  assert.ok(on.queueWaitMs.mean > 1.3 * off.queueWaitMs.mean, `queue wait ${on.queueWaitMs.mean} vs ${off.queueWaitMs.mean} ms`);
});
