// Mechanism 6: the Classic ELB's surge queue (503 surge-queue-full) and health checks
// (503 no-healthy-target; ALB fails open instead).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, failures, run, type Tree } from './harness.js';

// ---------------------------------------------------------------- surge queue
// One uWSGI sync worker busy 30 s, backlog 0 (Linux: an accept queue of 1), 10 simultaneous
// requests at 100 s. #1 is accepted, #2 queued; #3.. find the queue full: their SYNs are
// dropped and the Classic ELB holds them in its surge queue while it retries. With a surge
// queue of S, S of them wait there (then 504 connect-timeout at 110 s) and the other 8 − S
// are spilled at once: 503 surge-queue-full.
const surge = (balancer: Tree): Tree =>
  base({
    simulation: { duration: '150s' },
    traffic: { ...burst(10, 100, '20ms'), phases: [{ wait: 'const(30s)' }] },
    balancer: { idleTimeout: '1000s', ...balancer },
    fleet: { overflow: 'linux', server: { kind: 'uwsgi', mode: 'sync', workers: 1, backlog: 0 } },
  });

test('surge queue: K − 2 − S requests spill over: 503 surge-queue-full; S wait and time out (504)', () => {
  const x = run(surge({ kind: 'elb', surgeQueue: 2 }));
  assert.deepEqual(failures(x), { 'surge-queue-full': 6, 'connect-timeout': 2 });
  assert.equal(x.status['503'], 6);
  assert.equal(x.status['504'], 2);
  assert.equal(x.cause.ok, 1, '#1 served 100–130 s; #2 130–160 s is past the window');
  assert.equal(x.r.mechanisms.surgeQueueMax, 2);
});

test('surge queue, negative: the default surge queue (1024) holds them all: no 503', () => {
  const x = run(surge({ kind: 'elb' }));
  assert.deepEqual(failures(x), { 'connect-timeout': 8 });
  assert.equal(x.r.mechanisms.surgeQueueMax, 8);
});

test('surge queue, negative: ALB has none: every dropped SYN ends 504 connect-timeout', () => {
  const x = run(surge({ kind: 'alb' }));
  assert.deepEqual(failures(x), { 'connect-timeout': 8 });
  assert.equal(x.status['503'], 0);
});

test('surge queue: it empties as requests leave it (time out), so a later burst is held again', () => {
  // Bursts at 100 s and 200 s (window 250 s), the worker busy 300 s with the first request.
  const x = run(
    base({
      simulation: { duration: '250s' },
      traffic: { ...burst(10, 100, '20ms'), phases: [{ wait: 'const(300s)' }] },
      balancer: { kind: 'elb', idleTimeout: '1000s', surgeQueue: 2 },
      fleet: { overflow: 'linux', server: { kind: 'uwsgi', mode: 'sync', workers: 1, backlog: 0 } },
    }),
  );
  // First burst: 1 accepted, 1 queued, 2 held (504 at 110 s), 6 spilled. Second burst: the
  // surge queue is empty again, the accept queue still full: 2 held (504 at 210 s), 8 spilled.
  assert.deepEqual(failures(x), { 'surge-queue-full': 14, 'connect-timeout': 4 });
});

// ---------------------------------------------------------------- health checks
// One uWSGI sync worker held by one request for 1000 s (a user's first request at 0.5 s).
// Health checks every 5 s with a 2 s timeout wait in the accept queue behind it and time out;
// after 2 in a row (by 12.5 s at the latest) the only target is out of service. Bursts of 5
// requests at 20 s and 40 s:
//   ELB: no healthy target: 10 × 503 no-healthy-target.
//   ALB: fails open: they are routed anyway (queued behind the long request): no 503.
const hc = (kind: string, healthCheck: Tree): Tree =>
  base({
    simulation: { duration: '50s' },
    traffic: { users: { count: 1, think: 'const(0.5s)' }, bursts: { every: 'const(20s)', size: 5 }, phases: [{ wait: 'const(1000s)' }] },
    balancer: { kind, idleTimeout: '2000s', healthCheck: { enabled: true, interval: '5s', timeout: '2s', unhealthyThreshold: 2, ...healthCheck } },
    fleet: { overflow: 'refuse', server: { kind: 'uwsgi', mode: 'sync', workers: 1, backlog: 1000 } },
  });

test('health checks: ELB with its only target unhealthy answers 503 no-healthy-target', () => {
  const x = run(hc('elb', {}));
  assert.equal(x.r.arrivals, 11);
  assert.deepEqual(failures(x), { 'no-healthy-target': 10 });
  assert.equal(x.status['503'], 10);
  // Out of service from the second failed check (at 7–12.5 s) to the end (50 s).
  const out = x.r.mechanisms.unhealthySeconds;
  assert.ok(out > 37.5 && out <= 43, `unhealthy seconds ${out}`);
});

test('health checks: ALB with every target unhealthy fails open: no 503', () => {
  const x = run(hc('alb', {}));
  assert.deepEqual(failures(x), {});
  assert.ok(x.r.mechanisms.unhealthySeconds > 37.5, 'the target is still marked unhealthy');
});

test('health checks, negative: off, or an unhealthy threshold not reached in the window (10 checks): no 503', () => {
  assert.deepEqual(failures(run(hc('elb', { unhealthyThreshold: 11 }))), {});
  const off = run(
    base({
      ...hc('elb', {}),
      balancer: { kind: 'elb', idleTimeout: '2000s', healthCheck: { enabled: false } },
    }),
  );
  assert.deepEqual(failures(off), {});
});

test('health checks: a target whose checks pass stays in service (idle worker answers in 2 ms)', () => {
  const x = run(
    base({
      simulation: { duration: '50s' },
      traffic: { ...burst(5, 20), phases: [{ wait: 'const(10ms)' }] },
      balancer: { kind: 'elb', healthCheck: { enabled: true, interval: '5s', timeout: '2s', unhealthyThreshold: 2 } },
      fleet: { server: { kind: 'uwsgi', mode: 'sync', workers: 1 } },
    }),
  );
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 10);
  assert.equal(x.r.mechanisms.unhealthySeconds, 0);
});
