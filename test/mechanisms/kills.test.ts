// Mechanisms 11 and 12: SIGKILLs other than the mercy kill.
//   uWSGI harakiri: the master kills a worker stuck on one request that long (checked on its
//     1 s loop turns), reason harakiri.
//   gunicorn timeout: the arbiter kills a worker whose heartbeat is that old: a sync worker
//     busy on one request, or a gevent worker whose hub is blocked (mysqlclient), not one whose
//     greenlets merely wait. Reason timeout.
//   OOM: the container's memory limit; the kernel kills the largest worker. Reason oom.
//   uWSGI reload-on-rss recycles gracefully; evil-reload-on-rss SIGKILLs (reason evil-reload).
// Every request in flight on a killed worker ends 502 worker-killed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, failures, run, sojournSum, type Tree } from './harness.js';

/** One request at 100 s (window 199 s) with the given phases, on one worker. */
const single = (phases: Tree[], server: Tree, db: Tree = {}, idle = '1000s'): Tree =>
  base({
    simulation: { duration: '199s' },
    traffic: { ...burst(1, 100), phases },
    balancer: { idleTimeout: idle },
    fleet: { server: { workers: 1, respawn: 'const(1s)', ...server }, db },
  });

// ---------------------------------------------------------------- harakiri

test('uWSGI harakiri 5 s, a 10 s request: 502 worker-killed at the first master turn past its whole-second deadline; reason harakiri', () => {
  const x = run(single([{ wait: 'const(10s)' }], { kind: 'uwsgi', mode: 'sync', harakiri: '5s' }));
  assert.deepEqual(failures(x), { 'worker-killed': 1 });
  assert.equal(x.kills.harakiri, 1);
  assert.equal(x.killTotal, 1);
  // core/utils.c set_harakiri: deadline = uwsgi_now() (whole seconds) + 5; core/master_checks.c
  // kills when deadline < current_time (whole seconds): from 5 to 6 s after the start, plus the
  // wait for the master's next turn (up to 1 s).
  const t = sojournSum(x);
  assert.ok(t >= 5 && t < 7, `killed ${t} s after arrival, expected within [5, 7)`);
});

test('uWSGI harakiri, negative: a 4 s request (or harakiri off) is not killed', () => {
  const a = run(single([{ wait: 'const(4s)' }], { kind: 'uwsgi', mode: 'sync', harakiri: '5s' }));
  assert.deepEqual(failures(a), {});
  assert.equal(a.killTotal, 0);
  const b = run(single([{ wait: 'const(10s)' }], { kind: 'uwsgi', mode: 'sync' }));
  assert.deepEqual(failures(b), {});
  assert.equal(b.killTotal, 0);
});

test('gunicorn sync timeout 30 s (default), a 40 s request: 502 worker-killed within (30, 31] s; reason timeout', () => {
  const x = run(single([{ wait: 'const(40s)' }], { kind: 'gunicorn', mode: 'sync' }));
  assert.deepEqual(failures(x), { 'worker-killed': 1 });
  assert.equal(x.kills.timeout, 1);
  assert.equal(x.kills.harakiri, 0);
  const t = sojournSum(x);
  assert.ok(t > 30 && t <= 31, `killed ${t} s after arrival`);
});

test('gunicorn timeout vs idle timeout: with the default 60 s idle timeout a 40 s request still dies at 30 s (502)', () => {
  const x = run(single([{ wait: 'const(40s)' }], { kind: 'gunicorn', mode: 'sync' }, {}, '60s'));
  assert.deepEqual(failures(x), { 'worker-killed': 1 });
  // ... but with an idle timeout of 20 s the balancer gives up first: 504, then the worker is killed anyway.
  const y = run(single([{ wait: 'const(40s)' }], { kind: 'gunicorn', mode: 'sync' }, {}, '20s'));
  assert.deepEqual(failures(y), { 'idle-timeout': 1 });
  assert.equal(y.kills.timeout, 1);
});

test('gunicorn gevent: a 40 s wait (the hub keeps running) does not trigger the timeout', () => {
  const x = run(single([{ wait: 'const(40s)' }], { kind: 'gunicorn', mode: 'gevent', keepAlive: '0s' }));
  assert.deepEqual(failures(x), {});
  assert.equal(x.killTotal, 0);
});

test('gunicorn gevent: a 40 s mysqlclient query blocks the hub: killed (timeout), 502', () => {
  const x = run(single([{ db: 'const(40s)' }], { kind: 'gunicorn', mode: 'gevent', keepAlive: '0s' }, { driver: 'mysqlclient' }));
  assert.deepEqual(failures(x), { 'worker-killed': 1 });
  assert.equal(x.kills.timeout, 1);
  const t = sojournSum(x);
  // The hub is blocked from the end of the driver CPU (0.2 ms); killed at a turn 30–31 s later.
  assert.ok(t > 30 && t <= 31.001, `killed ${t} s after arrival`);
});

test('gunicorn gevent, negative: the same query with pymysql (yields) or with threads is not killed', () => {
  const p = run(single([{ db: 'const(40s)' }], { kind: 'gunicorn', mode: 'gevent', keepAlive: '0s' }, { driver: 'pymysql' }));
  assert.deepEqual(failures(p), {});
  const t = run(single([{ db: 'const(40s)' }], { kind: 'gunicorn', mode: 'threads', concurrency: 4, keepAlive: '0s' }, { driver: 'mysqlclient' }));
  assert.deepEqual(failures(t), {});
  assert.equal(p.killTotal + t.killTotal, 0);
});

test('gunicorn gevent: a blocked hub kills every greenlet in flight on the worker', () => {
  // Arrivals at 100, 101, 102 s; each waits 2 s (yields, so the hub stays free and the worker
  // accepts all three), then runs a 40 s mysqlclient query. #1's query blocks the hub from
  // 102 s; #2 and #3 queue for the hub. The arbiter kills the worker at a turn in (132, 133]:
  // all three in flight: 3 × 502, one kill.
  const x = run(
    base({
      simulation: { duration: '199s' },
      traffic: { ...burst(3, 100, '3s'), phases: [{ wait: 'const(2s)' }, { db: 'const(40s)' }] },
      balancer: { idleTimeout: '1000s' },
      fleet: { server: { kind: 'gunicorn', mode: 'gevent', workers: 1, keepAlive: '0s', respawn: 'const(1000s)' } },
    }),
  );
  assert.deepEqual(failures(x), { 'worker-killed': 3 });
  assert.equal(x.kills.timeout, 1);
});

// ---------------------------------------------------------------- OOM

/** 10 simultaneous requests of 1 s (waits: they overlap) on two uWSGI gevent workers. */
const oomBurst = (server: Tree, memory = '1GiB'): Tree =>
  base({
    simulation: { duration: '99s' },
    traffic: { ...burst(10, 50), phases: [{ wait: 'const(1s)' }] },
    fleet: {
      memory,
      server: {
        kind: 'uwsgi',
        mode: 'gevent',
        workers: 2,
        concurrency: 10,
        respawn: 'const(100s)',
        memory: { base: '400MiB', perRequest: '100MiB' },
        ...server,
      },
    },
  });

test('OOM: past the memory limit the kernel kills the largest worker, with its requests in flight (502)', () => {
  // FIFO accept: the 10 requests alternate w0, w1 (A, C, E, G, I on w0; B, D, F, H, J on w1).
  // They end together at 51 s, in arrival order: A -> w0 500 MiB (900 in all); B -> w1 500
  // (1000 ≤ 1024); C -> w0 600 (1100 > 1024): OOM, victim the largest, w0 (600 > 500), with
  // E, G, I in flight: 3 × 502. D, F, H, J end on w1 (600..900 MiB in all): 200.
  const x = run(oomBurst({ acceptOrder: 'fifo' }));
  assert.deepEqual(failures(x), { 'worker-killed': 3 });
  assert.equal(x.cause.ok, 7);
  assert.equal(x.kills.oom, 1);
  assert.equal(x.killTotal, 1);
});

test('OOM: with LIFO accept (the default) one worker takes all 10 and is the one killed after its 3rd', () => {
  // w1 (the last idle) takes every request; after 3 end it is at 700 MiB, 1100 in all: killed
  // with 7 in flight.
  const x = run(oomBurst({}));
  assert.deepEqual(failures(x), { 'worker-killed': 7 });
  assert.equal(x.cause.ok, 3);
  assert.equal(x.kills.oom, 1);
});

test('OOM, negative: a limit that holds everything (2 GiB), or no limit: no kill', () => {
  for (const memory of ['2GiB', 'unlimited']) {
    const x = run(oomBurst({ acceptOrder: 'fifo' }, memory));
    assert.deepEqual(failures(x), {}, memory);
    assert.equal(x.killTotal, 0, memory);
  }
});

/** One user, think `think`, one worker (sync) of 400 MiB growing 100 MiB per request, limit 1 GiB. */
const rssUser = (server: Tree, think: string, service: string, duration: string): Tree =>
  base({
    simulation: { duration },
    traffic: { users: { count: 1, think: `const(${think})` }, phases: [{ wait: service }] },
    fleet: {
      memory: '1GiB',
      server: { kind: 'uwsgi', mode: 'sync', workers: 1, minWorkerLifetime: '0s', respawn: 'const(0.5s)', memory: { base: '400MiB', perRequest: '100MiB' }, ...server },
    },
  });

test('OOM between requests: every 7th request takes the worker past 1 GiB (1100 MiB): killed idle, no 502', () => {
  // Requests end at 1.01·k s: 29 in 30 s -> floor(29 / 7) = 4 OOM kills, nothing in flight.
  const x = run(rssUser({}, '1s', 'const(10ms)', '30s'));
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 29);
  assert.equal(x.kills.oom, 4);
  assert.equal(x.r.recycles, 0);
});

test('reload-on-rss recycles gracefully before the OOM killer: no kill', () => {
  // 800 MiB is reached after 4 requests: recycle (no kill); 29 requests -> 7 recycles.
  const x = run(rssUser({ reloadOnRss: '800MiB' }, '1s', 'const(10ms)', '30s'));
  assert.deepEqual(failures(x), {});
  assert.equal(x.killTotal, 0);
  assert.equal(x.r.recycles, 7);
});

test('evil-reload-on-rss: the master SIGKILLs the worker at its next turn, with the request in flight (502)', () => {
  // Requests of 2 s back to back (think 0): 400 + 4 × 100 = 800 MiB after the 4th (8 s); the
  // 5th is accepted at 8 s and the master's next turn (within 1 s) kills it: 1 × 502. The
  // user's next request waits for the respawn (0.5 s) and is served 2 s: 200 by 11.5 s.
  // Connection: close, so the back-to-back requests (think 0) open new connections instead of
  // meeting uWSGI's close after each response (close-race, balancer.test / close-race.test).
  const x = run(rssUser({ evilReloadOnRss: '800MiB', connectionClose: true }, '0s', 'const(2s)', '12s'));
  assert.deepEqual(failures(x), { 'worker-killed': 1 });
  assert.equal(x.kills['evil-reload'], 1);
  assert.equal(x.killTotal, 1);
  assert.equal(x.cause.ok, 5);
  assert.equal(x.r.recycles, 0);
});

test('OOM from memory held in flight (memory.perInFlight): the accept that passes the limit kills the worker', () => {
  // One gevent worker of 400 MiB, each request in flight holds 100 MiB, limit 1 GiB. Ten
  // simultaneous 1 s requests: the 7th accept takes it to 1100 MiB: the worker (the only one,
  // the largest) is killed with 7 in flight: 7 × 502. The other 3 wait in the accept queue for
  // the respawn (100 s: past the window).
  const x = run(
    base({
      simulation: { duration: '99s' },
      traffic: { ...burst(10, 50), phases: [{ wait: 'const(1s)' }] },
      fleet: {
        memory: '1GiB',
        server: { kind: 'uwsgi', mode: 'gevent', workers: 1, concurrency: 10, respawn: 'const(100s)', memory: { base: '400MiB', perInFlight: '100MiB' } },
      },
    }),
  );
  assert.deepEqual(failures(x), { 'worker-killed': 7 });
  assert.equal(x.kills.oom, 1);
  assert.equal(x.r.finished, 7);
});

test('OOM, negative: memory held in flight is freed when requests end (no growth): sequential requests never OOM', () => {
  const x = run(
    base({
      simulation: { duration: '30s' },
      traffic: { users: { count: 1, think: 'const(1s)' }, phases: [{ wait: 'const(10ms)' }] },
      fleet: { memory: '1GiB', server: { kind: 'uwsgi', mode: 'sync', workers: 1, memory: { base: '400MiB', perInFlight: '600MiB' } } },
    }),
  );
  assert.deepEqual(failures(x), {});
  assert.equal(x.killTotal, 0);
  assert.equal(x.cause.ok, 29);
});
