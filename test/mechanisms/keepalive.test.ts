// Mechanism 5: the keep-alive race. The server closes an idle kept-alive connection
// keepAlive after its last response; the balancer learns of it one way-delay (rtt/2 = 0.25 ms)
// later. A request sent on it in [close − rtt/2, close + rtt/2) meets the close: 502 keepalive-race.
//
// Scenario (by hand): ALB (idle timeout 60 s), gunicorn gevent (keepalive 2 s), one user whose
// request takes 10 ms. First request at t = think.
//   think 2 s: each response at T leaves a connection closing at T + 2 s, and the user's next
//   request leaves at exactly T + 2 s: inside the race window -> 502. The connection is gone,
//   so the request after opens a new one and succeeds. Over 20 s: requests at 2 (200),
//   4.01 (502), 6.01 (200), 8.02 (502), 10.02, 12.03, 14.03, 16.04, 18.04 -> 5 × 200, 4 × 502.
//   think 1 s: every request reuses the connection 1 s before its close: no race.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EAGER, base, failures, run, NO_BASE_RATE, type Tree } from './harness.js';

const model = (think: string, server: Tree, balancer: Tree = {}): Tree =>
  base({
    simulation: { duration: '20s' },
    traffic: { users: { count: 1, think: `const(${think})` }, phases: [{ wait: 'const(10ms)' }] },
    balancer: { kind: 'alb', idleTimeout: '60s', ...EAGER, ...balancer },
    fleet: { server: { workers: 1, ...server } },
  });

const gunicornGevent: Tree = { kind: 'gunicorn', version: '20.1.0', mode: 'gevent', keepAlive: '2s' };

test('keepalive race: reuse exactly at the server close -> 502 keepalive-race, every other request', () => {
  const x = run(model('2s', gunicornGevent));
  assert.equal(x.r.arrivals, 9);
  assert.deepEqual(failures(x), { 'keepalive-race': 4 });
  assert.equal(x.status['502'], 4);
  assert.equal(x.cause.ok, 5);
  assert.equal(x.r.mechanisms.keepaliveReuses, 0);
});

test('keepalive race: gunicorn gevent defaults to keepalive 2 s', () => {
  const x = run(model('2s', { kind: 'gunicorn', version: '20.1.0', mode: 'gevent' }));
  assert.deepEqual(failures(x), { 'keepalive-race': 4 });
});

test('keepalive race, window edges: 1 ms early is a safe reuse, 0.1 ms late a race, 1 ms late a new connection', () => {
  // 1.999 s: reuse 1 ms before the close (the FIN has not left): safe; 18 requests in 20 s.
  const early = run(model('1.999s', gunicornGevent));
  assert.deepEqual(failures(early), {});
  assert.equal(early.r.mechanisms.keepaliveReuses, early.r.arrivals - 1);
  // 2.0001 s: 0.1 ms after the close, before the FIN reaches the balancer (0.25 ms): race.
  const late = run(model('2.0001s', gunicornGevent));
  assert.deepEqual(failures(late), { 'keepalive-race': 4 });
  // 2.001 s: the FIN has arrived (1 ms > 0.25 ms): the balancer knows and opens a new connection.
  const after = run(model('2.001s', gunicornGevent));
  assert.deepEqual(failures(after), {});
  assert.equal(after.r.mechanisms.keepaliveReuses, 0);
});

test('keepalive race, window: a larger rtt widens it', () => {
  // rtt 10 ms -> window ±5 ms around the close: think 2.004 s races, 2.006 s does not.
  assert.deepEqual(failures(run(model('2.004s', gunicornGevent, { rtt: '10ms' }))), { 'keepalive-race': 4 });
  assert.deepEqual(failures(run(model('1.996s', gunicornGevent, { rtt: '10ms' }))), { 'keepalive-race': 4 });
  assert.deepEqual(failures(run(model('2.006s', gunicornGevent, { rtt: '10ms' }))), {});
  assert.deepEqual(failures(run(model('1.994s', gunicornGevent, { rtt: '10ms' }))), {});
});

test('keepalive race, negative: reuse before the close (think 1 s) never races and reuses the connection', () => {
  const x = run(model('1s', gunicornGevent));
  // Requests at 1 + 1.01·k s for k = 0..18; all but the first reuse the connection.
  assert.equal(x.r.arrivals, 19);
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 19);
  assert.equal(x.r.mechanisms.keepaliveReuses, 18);
});

test('keepalive race, negative: gunicorn sync always closes after the response: no reuse, no race', () => {
  for (const server of [
    { kind: 'gunicorn', mode: 'sync' },
    { kind: 'gunicorn', mode: 'sync', keepAlive: '2s' },
  ]) {
    const x = run(model('2s', server));
    assert.deepEqual(failures(x), {}, JSON.stringify(server));
    assert.equal(x.r.mechanisms.keepaliveReuses, 0);
    assert.equal(x.cause.ok, x.r.arrivals);
  }
});

test('keepalive race, negative: uWSGI 2.0 http-socket closes every connection (even with keepAlive set)', () => {
  for (const mode of ['sync', 'gevent']) {
    const x = run(model('2s', { kind: 'uwsgi', version: '2.0.15', mode, keepAlive: '2s' }));
    assert.deepEqual(failures(x), {}, mode);
    assert.equal(x.r.mechanisms.keepaliveReuses, 0);
  }
});

test('keepalive race, negative: server keep-alive (75 s) longer than the balancer idle timeout (60 s)', () => {
  const ka75: Tree = { ...gunicornGevent, keepAlive: '75s' };
  // think 2 s: reused long before any close.
  const a = run(model('2s', ka75));
  assert.deepEqual(failures(a), {});
  assert.equal(a.r.mechanisms.keepaliveReuses, a.r.arrivals - 1);
  // think 60 s: the balancer has closed the connection itself at 60 s idle: a new one, no race.
  // think 75 s (the server's close): the balancer closed it 15 s earlier: no race either.
  for (const [think, n] of [
    ['60s', 6],
    ['75s', 5],
  ] as const) {
    const b = run(base({ ...model(think, ka75), simulation: { duration: '400s' } }));
    assert.deepEqual(failures(b), {}, think);
    assert.equal(b.cause.ok, n, `requests every ${think} + 10 ms in 400 s`);
    assert.equal(b.r.mechanisms.keepaliveReuses, 0, think);
  }
});

test('keepalive race, negative: the balancer without keep-alive opens a connection per request', () => {
  const x = run(model('2s', gunicornGevent, { keepAlive: false }));
  assert.deepEqual(failures(x), {});
  assert.equal(x.r.mechanisms.keepaliveReuses, 0);
});

test('keepalive race: gunicorn threads (gthread) keeps alive too', () => {
  const x = run(model('2s', { kind: 'gunicorn', mode: 'threads', concurrency: 4, keepAlive: '2s' }));
  assert.deepEqual(failures(x), { 'keepalive-race': 4 });
});

test('keep-alive and recycling: gunicorn closes every response once alive = False, and accepts until its loop notices', () => {
  // gunicorn's async workers count a request as it starts: `self.nr += 1; if self.nr >=
  // self.max_requests: self.alive = False`, then `if not self.alive ...: resp.force_close()`.
  // One gevent worker, maxRequests 1, requests of 100 ms at 10.0, 10.2, 10.4 s. A (10.0 s)
  // retires the worker, but its loop (`while self.alive: notify(); sleep(1)`, turning at whole
  // seconds from its start at 0) only sees it at 11 s: B and C are accepted at once by the same
  // worker. Every response carries Connection: close: no reuse. At 11 s the worker drains
  // (nothing in flight), exits (20 ms) and respawns (100 ms): one recycle, no request waited.
  const x = run(
    base({
      simulation: { duration: '15s' },
      traffic: { rate: NO_BASE_RATE, bursts: { every: 'const(10s)', size: 3, over: '0.6s' }, phases: [{ wait: 'const(100ms)' }] },
      balancer: { kind: 'alb', ...EAGER },
      fleet: { server: { kind: 'gunicorn', mode: 'gevent', workers: 1, maxRequests: 1, keepAlive: '2s', exitDelay: 'const(20ms)', respawn: 'const(100ms)' } },
    }),
  );
  assert.equal(x.r.arrivals, 3);
  assert.equal(x.r.mechanisms.keepaliveReuses, 0, 'no reuse of a connection the server closed');
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 3);
  assert.equal(x.r.recycles, 1);
  assert.equal(x.r.respawns, 1);
  assert.equal(x.r.queueWaitMs.p95, 0, 'B and C were accepted at once: the worker still accepted');
  assert.equal(x.killTotal, 0);
});

test('keep-alive and the idle timeout: a connection the balancer gave up on (504) is not reused', () => {
  // gunicorn gevent (keepalive 2 s), ALB idle timeout 5 s, requests of 8 s at 10 s and 20 s.
  // A: 504 idle-timeout at 15 s; the balancer closes that connection then, so the worker's
  // late response (18 s) goes nowhere and nothing enters the keep-alive pool. B (20 s) opens a
  // new connection: 504 idle-timeout at 25 s. (Pooling A's connection at 18 s would make B
  // reuse it exactly at its keep-alive close, 20 s: a spurious 502 keepalive-race.)
  const x = run(
    base({
      simulation: { duration: '26s' },
      traffic: { rate: NO_BASE_RATE, bursts: { every: 'const(10s)', size: 1 }, phases: [{ wait: 'const(8s)' }] },
      balancer: { kind: 'alb', idleTimeout: '5s', ...EAGER },
      fleet: { server: { kind: 'gunicorn', mode: 'gevent', workers: 1, keepAlive: '2s' } },
    }),
  );
  assert.equal(x.r.arrivals, 2);
  assert.deepEqual(failures(x), { 'idle-timeout': 2 });
});
