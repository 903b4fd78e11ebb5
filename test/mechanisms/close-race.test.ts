// The balancer's connections to targets: the close race (uWSGI http-socket closes after every
// response without `Connection: close`), its window by worker mode, what prevents it, and the
// reuse order of idle connections (balancer.reuse).
//
// Window: a response leaves at T; the server closes the connection at T + closeLag (sync,
// threads) or when the gevent hub runs the greenlet's close. Response and FIN cross the same
// one-way delay, so the balancer holds the connection, believing it reusable, for exactly that
// gap: [T, T + closeLag) in capsim's time (which hands the balancer a response as it leaves). A
// request it sends on it then meets the close: close-race (ALB 502, Classic ELB 504).
// These tests take one balancer node with an eager pool (a connection offered again as its
// response is read), whose counts can be derived by hand; the ALB's own pool (a reuse delay) is
// tested in balancer-pool.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EAGER, base, burst, failures, merge, run, type Tree } from './harness.js';

// ---- sync: one user, 1 worker, 10 ms per request, think `think`.
// Window after a response at T: [T, T + 50 µs).
// think 20 µs (inside): s_0 = 0.02 ms opens a connection and succeeds (ends 10.02 ms); the next
// request (10.04 ms) takes that connection while uWSGI is closing it: a race, answered at once;
// the one after (10.06 ms) finds the pool empty, opens a new connection, succeeds (20.06 ms); and
// so on: ok at 0.02, 10.06, 20.10, 30.14, 40.18 ms, races at 10.04, 20.08, 30.12, 40.16, 50.20 ms,
// and the request of 50.22 ms still running at 51.9 ms: 11 arrivals, 5 ok, 5 close-race.
const syncModel = (think: string, server: Tree = {}, balancer: Tree = { kind: 'alb', ...EAGER }): Tree =>
  base({
    simulation: { duration: '51.9ms' },
    traffic: { users: { count: 1, think: `const(${think})` }, phases: [{ wait: 'const(10ms)' }] },
    balancer,
    fleet: { server: { kind: 'uwsgi', version: '2.0.15', mode: 'sync', workers: 1, closeLag: '50us', ...server } },
  });

test('close race, sync: a request 20 µs after a response takes the connection uWSGI is closing: 502 close-race', () => {
  const x = run(syncModel('0.02ms'));
  assert.equal(x.r.arrivals, 11);
  assert.deepEqual(failures(x), { 'close-race': 5 });
  assert.equal(x.status['502'], 5);
  assert.equal(x.cause.ok, 5);
  assert.equal(x.r.mechanisms.closeRaces, 5);
  assert.equal(x.r.mechanisms.keepaliveReuses, 0, 'never a safe reuse');
  assert.ok(Math.abs(x.r.mechanisms.closeDelayMeanMs - 0.05) < 1e-9, `close delay ${x.r.mechanisms.closeDelayMeanMs}`);
});

test('close race, sync: Classic ELB lists a target closing the connection under 504 (Cause 2)', () => {
  const x = run(syncModel('0.02ms', {}, { kind: 'elb', ...EAGER }));
  assert.deepEqual(failures(x), { 'close-race': 5 });
  assert.equal(x.status['504'], 5);
  assert.equal(x.status['502'], 0);
});

test('close race, sync, window edge: 60 µs after the response the FIN has arrived: new connections, no race', () => {
  const x = run(syncModel('0.06ms'));
  assert.deepEqual(failures(x), {});
  assert.equal(x.r.mechanisms.closeRaces, 0);
  // A longer closeLag (1 ms of post-response work, which also holds the worker) puts 60 µs back
  // inside the window: response at 10.02 ms, close at 11.02; 10.08 races; 10.14 opens a new
  // connection and waits for the worker until 11.02 (response 21.02, close 22.02); 21.08 races;
  // and so on: races at 10.08, 21.08, 32.08, 43.08 (the request of 43.14 answers at 54.02).
  assert.deepEqual(failures(run(syncModel('0.06ms', { closeLag: '1ms' }))), { 'close-race': 4 });
});

test('close race, negatives: Connection: close, gunicorn sync, balancer.keepAlive false, nginx without keepalive', () => {
  for (const [what, model] of [
    ['connectionClose', syncModel('0.02ms', { connectionClose: true })],
    ['gunicorn sync', syncModel('0.02ms', { kind: 'gunicorn', version: '20.1.0', mode: 'sync' })],
    ['balancer.keepAlive false', syncModel('0.02ms', {}, { kind: 'alb', keepAlive: false, ...EAGER })],
    ['nginx default', syncModel('0.02ms', {}, { kind: 'nginx' })],
  ] as [string, Tree][]) {
    const x = run(model);
    assert.deepEqual(failures(x), {}, what);
    assert.equal(x.r.mechanisms.closeRaces, 0, what);
    assert.equal(x.cause.ok, x.r.finished, what);
  }
});

// ---- gevent: the close waits for the hub.
// uWSGI gevent, 1 worker, mysqlclient (a query holds the hub), no driver CPU, no connect time;
// each request: 10 ms of waiting, then a 50 ms query; 50 µs of post-response work before the
// close. Two users, first requests at 20 ms, think 20 ms:
//   A1, B1 0.020: both accepted (the hub is idle); both wait to 0.030; A1's query holds the hub
//      0.030-0.080, B1 queues for it.
//   A1 responds at 0.080; its greenlet switches to the hub (GEVENT_SWITCH) and its close queues
//      behind B1, whose query holds the hub 0.080-0.130.
//   A2 0.100 (A thinks 20 ms): the balancer reuses A1's connection, still open: close-race,
//      answered at once; A3 0.120 opens a new connection (accepted at the next switch point).
// Over 125 ms: 4 arrivals, 1 ok (A1), 1 close-race (A2), B1 and A3 still in flight.
const geventModel = (db: Tree = {}): Tree =>
  base({
    simulation: { duration: '0.125s' },
    traffic: { users: { count: 2, think: 'const(20ms)' }, phases: [{ wait: 'const(10ms)' }, { db: 'const(50ms)' }] },
    balancer: { kind: 'alb', ...EAGER },
    fleet: {
      server: { kind: 'uwsgi', version: '2.0.15', mode: 'gevent', workers: 1, concurrency: 10, closeLag: '50us' },
      db: { driver: 'mysqlclient', driverCpu: 'const(0s)', connect: 'const(0s)', ...db },
    },
  });

test('close race, gevent: a blocking mysqlclient query on the hub holds the close of another greenlet: 502 close-race', () => {
  const x = run(geventModel());
  assert.equal(x.r.arrivals, 4);
  assert.deepEqual(failures(x), { 'close-race': 1 });
  assert.equal(x.status['502'], 1);
  assert.equal(x.cause.ok, 1);
});

test('close race, gevent, negatives: a greenlet back from I/O needs the hub to write its response; nothing holds the hub; Connection: close', () => {
  // PyMySQL yields during its query: A1 and B1 query at once (0.030-0.080); both respond at
  // 0.080, each closes 50 µs after: A2 at 0.100 finds the connection closed: no race.
  const pymysql = run(geventModel({ driver: 'pymysql' }));
  assert.deepEqual(failures(pymysql), {});
  // One user: nothing holds the hub when A1 responds: its close is 50 µs later.
  const alone = run(merge(geventModel(), { traffic: { users: { count: 1 } } }));
  assert.deepEqual(failures(alone), {});
  assert.ok(Math.abs(alone.r.mechanisms.closeDelayMeanMs - 0.05) < 1e-6, `close delay ${alone.r.mechanisms.closeDelayMeanMs}`);
  // Connection: close: nothing is pooled, whatever the hub does.
  const closed = run(merge(geventModel(), { fleet: { server: { connectionClose: true } } }));
  assert.deepEqual(failures(closed), {});
});

test('close race, gevent: a close runs at the start of the hub\'s next loop iteration, ahead of a greenlet that became ready after the current one\'s poll', () => {
  // The same worker, two requests 1 ms apart at 1 s (a burst): A waits to 1.010 and its query
  // holds the hub 1.010-1.060 (the poll that woke the hub was at 1.010); B's wait ends at 1.011,
  // after that poll. At 1.060 A responds; its greenlet's gevent.sleep(0) is a callback the next
  // iteration runs before it polls, so A's close (50 µs of work) comes before B's query: close
  // delay 50 µs. B's query 1.06005-1.11005, its close 50 µs later. (Behind B's query, as when
  // both were ready at the same poll in the test above, A's would be 50.05 ms.)
  const x = run(
    merge(geventModel(), {
      simulation: { duration: '2s' },
      traffic: { ...burst(2, 1, '2ms'), users: undefined },
    }),
  );
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 2);
  assert.ok(Math.abs(x.r.mechanisms.closeDelayMeanMs - 0.05) < 1e-9, `close delay ${x.r.mechanisms.closeDelayMeanMs} ms`);
  assert.ok(Math.abs(x.r.latencyMs.max - 109.05) < 1e-6, `B's latency ${x.r.latencyMs.max} ms`);
});

test('http11-socket keeps the connection alive (socket-timeout 4 s): safe reuse, no close race; before 2.0.16 it is refused', () => {
  const x = run(syncModel('0.2ms', { version: '2.0.16', socket: 'http11-socket' }));
  assert.deepEqual(failures(x), {});
  assert.equal(x.r.mechanisms.keepaliveReuses, x.r.arrivals - 1);
  assert.equal(x.model.fleet.server.keepAlive, 4);
  assert.throws(() => run(syncModel('0.2ms', { socket: 'http11-socket' })), /2\.0\.16/);
});

// ---- reuse order. ALB, gunicorn gevent (keepalive 2 s), one user (think 0.995 s, 10 ms per
// request: u_k = 0.995 + 1.005·k, responses at u_k + 10 ms) and one extra request at 5.020 s
// (a burst of 1), while u_4 (5.015) is in flight: it opens a second connection.
//   pool after: Y (u_4's, idle at 5.025, closes 7.025), X (the extra's, 5.030, closes 7.030).
//   fifo (oldest first): u_5 6.020 takes Y -> Z (6.030); u_6 7.025 takes X (5 ms before its close)
//     -> W (7.035); u_7 8.030 takes Z exactly at its close (6.030 + 2 s): keepalive-race.
//     u_8 9.025 takes W (safe). 10 arrivals: 9 ok, 1 keepalive-race.
//   lifo (most recently idle first): each request takes the connection of the one before; the
//     other idles out unused: no race.
const orderModel = (reuse: string): Tree =>
  base({
    simulation: { duration: '9.5s' },
    traffic: { users: { count: 1, think: 'const(0.995s)' }, bursts: { every: 'const(5.02s)', size: 1, over: '0s' }, phases: [{ wait: 'const(10ms)' }] },
    balancer: { kind: 'alb', reuse, ...EAGER },
    fleet: { server: { kind: 'gunicorn', version: '20.1.0', mode: 'gevent', workers: 1 } },
  });

test('reuse order: fifo takes the oldest idle connection, which races at its keep-alive expiry; lifo does not', () => {
  const fifo = run(orderModel('fifo'));
  assert.equal(fifo.r.arrivals, 10);
  assert.deepEqual(failures(fifo), { 'keepalive-race': 1 });
  assert.equal(fifo.r.mechanisms.keepaliveRaces, 1);
  const lifo = run(orderModel('lifo'));
  assert.equal(lifo.r.arrivals, 10);
  assert.deepEqual(failures(lifo), {});
  assert.equal(lifo.r.mechanisms.keepaliveReuses, 8, 'u_1..u_8 reuse');
  // random: its own stream; every arrival still ends once.
  const random = run(orderModel('random'));
  assert.equal(random.r.finished, random.r.arrivals);
});
