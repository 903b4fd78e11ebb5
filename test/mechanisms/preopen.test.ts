// The Classic ELB's pre-opened connections (balancer.pool.preopen; src/model/balancer/preopen.ts).
// One container, one balancer node (nodes 1), one pre-opened connection, rtt 0.5 ms (one way
// d = 0.25 ms), one user whose request waits 10 ms; the first request leaves at t = think. The
// node opens its connection at t = 0; an idle worker accepts it at its SYN.
//
// gunicorn sync (timeout 30 s): the worker that accepts an empty connection blocks in recv; the
// arbiter's check (each second from a random phase) kills it at the first check more than 30 s
// after the accept. The kill closes the connection; the node notices (d later) and opens
// another, which waits in the accept queue for the respawned worker (fork + app import, ~1.5 s).
//   think 40 s over 200 s: the worker holding the connection opened at 0 is killed in (30, 31];
//   the request at 40 goes out on the connection the respawned worker holds (held since ~32.5:
//   7.5 s, no kill) and ends at 40.01; the node's new connection (opened at 40) is accepted at
//   40.01 and the worker is killed in (70.01, 71.01]; the request at 80.01 … So one kill per
//   40.01 s cycle: kills near 30.5, 70.5, 110.5, 150.5, 190.5 = 5; requests at 40, 80.01, 120.02,
//   160.03 = 4, all 200.
//   think 10 s: every connection carries a request within 10 s of its accept: no kill, 19 × 200.
// gunicorn gevent (keepalive 2 s): the greenlet gives up on an empty connection after 2 s and
//   closes it; the node notices d later and opens another: with no traffic, closes at
//   2 + k·2.00025 s: 9 within 20 s (the 10th would be at 20.00225). Never a kill.
// uWSGI sync (TCP_DEFER_ACCEPT 4 s = 3 SYN-ACK timer periods): the connection waits in the SYN
//   queue; the request socket's timer runs at 1.024, 3.04 and 7.168 s (the 250 Hz wheel), the
//   third retransmits the SYN-ACK and the node's bare ACK (rtt later, 7.1685 s) queues the
//   connection empty; the worker accepts it and waits socket-timeout (4 s): closes at 11.1685.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_BASE_RATE, base, failures, run, type Tree } from './harness.js';

const ELB: Tree = { kind: 'elb', nodes: 1, pool: { preopen: 1 } };

const model = (think: string, server: Tree, duration = '200s', balancer: Tree = {}): Tree =>
  base({
    simulation: { duration },
    traffic: { users: { count: 1, think: `const(${think})` }, phases: [{ wait: 'const(10ms)' }] },
    balancer: { ...ELB, ...balancer },
    fleet: { server: { workers: 1, ...server } },
  });

/** No traffic at all: only the pre-opened connection. */
const idle = (server: Tree, duration: string, balancer: Tree = {}): Tree =>
  base({
    simulation: { duration },
    traffic: { rate: NO_BASE_RATE, phases: [{ wait: 'const(10ms)' }] },
    balancer: { ...ELB, ...balancer },
    fleet: { server: { workers: 1, ...server } },
  });

const gunicornSync: Tree = { kind: 'gunicorn', version: '20.1.0', mode: 'sync' };

test('preopen: the profiles: a Classic ELB keeps 1 per node and target, an ALB, nginx and eager none', () => {
  assert.equal(run(idle({}, '1s', { pool: 'elb' })).model.balancer.pool.preopen, 1);
  assert.equal(run(base({ simulation: { duration: '1s' }, traffic: { rate: NO_BASE_RATE, phases: [{ wait: 'const(1ms)' }] }, balancer: { kind: 'elb', pool: 'elb' } })).model.balancer.pool.preopen, 1);
  assert.equal(run(idle({}, '1s', { kind: 'alb', pool: 'alb' })).model.balancer.pool.preopen, 0);
  assert.equal(run(idle({}, '1s', { kind: 'alb', pool: 'eager' })).model.balancer.pool.preopen, 0);
  assert.equal(run(idle({}, '1s', { kind: 'nginx', pool: 'nginx' })).model.balancer.pool.preopen, 0);
});

test('preopen: gunicorn sync, a request every 40 s: the worker is killed at its timeout after each pre-open (5 kills in 200 s), every request 200', () => {
  const x = run(model('40s', gunicornSync));
  assert.equal(x.r.arrivals, 4);
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 4);
  assert.equal(x.kills.timeout, 5);
  assert.equal(x.killTotal, 5);
  const m = x.r.mechanisms;
  assert.equal(m.preopenUsed, 4);
  assert.equal(m.preopenDeaths, 5);
  assert.equal(m.preopenRaces, 0);
});

test('preopen: gunicorn sync, a request every 10 s: each connection carries a request before the timeout: no kill', () => {
  const x = run(model('10s', gunicornSync));
  assert.equal(x.r.arrivals, 19);
  assert.deepEqual(failures(x), {});
  assert.equal(x.killTotal, 0);
  assert.equal(x.r.mechanisms.preopenUsed, 19);
});

test('preopen, negative: preopen 0 (AWS disabled pre-open), or gunicorn timeout 0: no kill', () => {
  const off = run(model('40s', gunicornSync, '200s', { pool: { preopen: 0 } }));
  assert.equal(off.killTotal, 0);
  assert.equal(off.cause.ok, 4);
  assert.equal(off.r.mechanisms.preopenUsed, undefined, 'no pre-open counters without the mechanism');
  // Without a timeout the worker waits on the empty connection until the request (or the node's
  // idle close at 60 s) comes.
  const noTimeout = run(model('40s', { ...gunicornSync, harakiri: '0s' }));
  assert.equal(noTimeout.killTotal, 0);
  assert.equal(noTimeout.cause.ok, 4);
});

test('preopen: gunicorn sync with no traffic: the node idle-closes nothing before the kill (30 s < 60 s); one kill per ~32 s', () => {
  // Held from 0, killed in (30, 31]; the next held from the respawn (~1.5 s later), killed ~30 s after.
  const x = run(idle(gunicornSync, '60s'));
  assert.equal(x.kills.timeout, 1);
  assert.equal(x.r.mechanisms.preopenIdleCloses, 0);
});

test('preopen: gunicorn gevent keepalive 2 s: the server closes each unused connection after 2 s, the node opens another; no kill', () => {
  const x = run(idle({ kind: 'gunicorn', version: '20.1.0', mode: 'gevent' }, '20s'));
  assert.equal(x.killTotal, 0);
  assert.equal(x.r.mechanisms.preopenServerCloses, 9);
  // Accepted empty in the window: the 9 opened after each close (the first, at 0, precedes it).
  assert.equal(x.r.mechanisms.preopenHeldEmpty, 9);
  // With traffic every 10 s: every request 200, still no kill.
  const t = run(model('10s', { kind: 'gunicorn', version: '20.1.0', mode: 'gevent' }));
  assert.deepEqual(failures(t), {});
  assert.equal(t.killTotal, 0);
  assert.equal(t.cause.ok, 19);
});

test('preopen: gunicorn gthread holds a thread until the request comes: no close, no kill', () => {
  const x = run(model('40s', { kind: 'gunicorn', version: '20.1.0', mode: 'threads' }));
  assert.equal(x.killTotal, 0);
  assert.equal(x.cause.ok, 4);
  assert.equal(x.r.mechanisms.preopenServerCloses, 0);
  assert.equal(x.r.mechanisms.preopenUsed, 4);
});

test('preopen: uWSGI sync: the connection waits the defer period in the SYN queue, then holds the worker socket-timeout (4 s) and is closed', () => {
  const uwsgiSync: Tree = { kind: 'uwsgi', version: '2.0.21', mode: 'sync' };
  // Accepted empty at 7.1685 s, closed at 11.1685 s.
  const before = run(idle(uwsgiSync, '7.1s'));
  assert.equal(before.r.mechanisms.preopenHeldEmpty, 0);
  const held = run(idle(uwsgiSync, '11.1s'));
  assert.equal(held.r.mechanisms.preopenHeldEmpty, 1);
  assert.equal(held.r.mechanisms.preopenServerCloses, 0);
  // The worker is busy on it from 7.1685 s on.
  assert.ok(Math.abs(held.r.utilization.workers - (11.1 - 7.1685) / 11.1) < 1e-9, String(held.r.utilization.workers));
  const closed = run(idle(uwsgiSync, '11.2s'));
  assert.equal(closed.r.mechanisms.preopenServerCloses, 1);
  assert.ok(Math.abs(closed.r.utilization.workers - 4 / 11.2) < 1e-9, String(closed.r.utilization.workers));
  assert.equal(closed.killTotal, 0);
});

test('preopen: uWSGI gevent: the defer period is 30 s (--gevent raises socket-timeout), then one async core waits 30 s', () => {
  // TCP_DEFER_ACCEPT 30 s = 5 timer periods: runs near 1, 3, 7, 15, 31 s; accepted empty near 31 s.
  const x = run(idle({ kind: 'uwsgi', version: '2.0.21', mode: 'gevent' }, '30s'));
  assert.equal(x.r.mechanisms.preopenHeldEmpty, 0);
  const y = run(idle({ kind: 'uwsgi', version: '2.0.21', mode: 'gevent' }, '40s'));
  assert.equal(y.r.mechanisms.preopenHeldEmpty, 1);
  assert.equal(y.r.mechanisms.preopenServerCloses, 0);
  // The node's idle timeout (60 s) comes before the core's 30 s run out (near 61 s): the node closes it.
  const z = run(idle({ kind: 'uwsgi', version: '2.0.21', mode: 'gevent' }, '62s'));
  assert.equal(z.r.mechanisms.preopenIdleCloses, 1);
  assert.equal(z.r.mechanisms.preopenServerCloses, 0);
});

test('preopen: a request on a pre-opened connection skips the handshake: it starts at once whatever the rtt', () => {
  // uWSGI sync, rtt 100 ms, one request at 5 s: it goes out on the pre-opened connection (in
  // the SYN queue: its data complete the handshake) and starts at once: latency 10 ms, no
  // queue wait. (A new connection to an idle container starts at its SYN in capsim too: the
  // listener's fast path leaves the handshake out, so the saving shows only where a handshake
  // would land through the accept queue.)
  const x = run(model('5s', { kind: 'uwsgi', version: '2.0.21', mode: 'sync' }, '6s', { rtt: '100ms' }));
  assert.equal(x.cause.ok, 1);
  assert.equal(x.r.mechanisms.preopenUsed, 1);
  assert.ok(Math.abs(x.r.latencyMs.max - 10) < 1e-6, JSON.stringify(x.r.latencyMs));
  assert.equal(x.r.queueWaitMs.mean, 0);
  // The same on a connection a gunicorn gevent worker already holds (every 2.05 s one closes and the
  // node opens another, ready an rtt later: the one at 5 s was accepted at 4.1 s).
  const g = run(model('5s', { kind: 'gunicorn', version: '20.1.0', mode: 'gevent' }, '6s', { rtt: '100ms' }));
  assert.equal(g.r.mechanisms.preopenUsed, 1);
  assert.ok(Math.abs(g.r.latencyMs.max - 10) < 1e-6, JSON.stringify(g.r.latencyMs));
});

test('preopen: a request sent as the server closes its pre-opened connection meets the close: keepalive-race, 504 behind a Classic ELB', () => {
  // gunicorn gevent keepalive 2 s, no other traffic: the connection opened at 0 closes at 2 s;
  // a request leaving at 2 s (think 2 s) is inside [close − d, close + d): 504 keepalive-race.
  const x = run(model('2s', { kind: 'gunicorn', version: '20.1.0', mode: 'gevent' }, '3s'));
  assert.deepEqual(failures(x), { 'keepalive-race': 1 });
  assert.equal(x.status['504'], 1);
  assert.equal(x.r.mechanisms.preopenRaces, 1);
  // 1 ms earlier the request goes out before the close: 200.
  const early = run(model('1.999s', { kind: 'gunicorn', version: '20.1.0', mode: 'gevent' }, '3s'));
  assert.deepEqual(failures(early), {});
});
