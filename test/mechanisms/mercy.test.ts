// Mechanism 1: a recycling uWSGI gevent worker still busy at its worker-reload-mercy deadline
// exits (the time bomb's exit(), plugins/gevent/gevent.c), and every request still in it loses
// its connection: cause reload-mercy (502 on an ALB, 504 on a Classic ELB), counted in
// workers.mercyExits, not a SIGKILL.
//
// Scenario (counted by hand): one uWSGI gevent worker (10 async cores), maxRequests 1,
// min-worker-lifetime 0. Four requests arrive at 50, 51, 52 and 53 s, each waiting 10 s (a
// gevent wait yields, so all four run at once). The first ends at 60 s: the worker has served
// 1 and starts recycling (stops accepting, drains). The others end at 61, 62, 63 s.
//   mercy 1.5 s -> deadline 61.5 s: #2 finished (61 s), #3 and #4 are in flight: 2 × 502.
//   mercy 5 s   -> deadline 65 s: all done by 63 s (exit 20 ms later): no kill, no 502.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, failures, near, NO_BASE_RATE, run, type Tree } from './harness.js';

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
  near(x.r.mechanisms.drainSeconds, 1.5, 1e-9, 'drained from the recycle (60 s) to the mercy (61.5 s)');
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
  near(x.r.mechanisms.drainSeconds, 3, 0.01, 'drained from the recycle (60 s) to the end of the last request (63 s)');
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
  // gunicorn counts a request as it starts: A (300 s) sets alive = False; the worker's loop
  // (turning each second from its start at 0) sees it at 301 s and drains; graceful_timeout 30 s
  // of 1 s checks, then server.stop(timeout=1): A's handler is killed at 301 + 30 + 2 = 333 s and
  // the worker exits normally (respawn 1 s: a new worker at 334 s). B (340 s) goes the same way:
  // its worker retires at once and cuts it at 373 s. Its default timeout (30 s) never fires: a
  // gevent hub blocked by nothing keeps its heartbeat.
  const g = run(m({ kind: 'gunicorn', keepAlive: '0s' }));
  assert.deepEqual(failures(g), { 'reload-mercy': 2 });
  assert.equal(g.r.mercyExits, 2);
  assert.equal(g.killTotal, 0, 'the arbiter never SIGKILLs a recycling worker');
  assert.equal(g.r.recycles, 2);
});

test('uWSGI gevent: a drain exits at its last close, not at the next second of its polling', () => {
  // Requests at 50 and 51.5 s, each waiting 10 s, mercy 5 s: the first closes at 60 s (recycle:
  // watchers stopped, polling each second), the second at 61.5 s. uwsgi_gevent_gbcw sets its
  // `destroy` flag only when its poll returns, so that close runs the check again, finds no
  // core in a request and ends the hub at once (2.0.21 plugins/gevent/gevent.c; the testbed's
  // drains last one request's service): exit 20 ms later, respawn 1 s after: no worker accepts
  // from 60 to 62.52 s. (Exiting at the next whole second of the poll would give 3.02 s.)
  const x = run(
    base({
      simulation: { duration: '70s' },
      traffic: { ...burst(2, 50, '3s'), phases: [{ wait: 'const(10s)' }] },
      fleet: { server: { kind: 'uwsgi', version: '2.0.15', mode: 'gevent', workers: 1, concurrency: 10, maxRequests: 1, minWorkerLifetime: '0s', reloadMercy: '5s', respawn: 'const(1s)', exitDelay: 'const(20ms)' } },
    }),
  );
  assert.deepEqual(failures(x), {});
  assert.equal(x.r.mechanisms.drains, 1);
  near(x.r.zeroLiveSeconds, 2.52, 1e-9, 'no live worker from the recycle to the respawn');
});

test('uWSGI threads: NO MERCY is a real SIGKILL; every close during the drain pushes it back', () => {
  // uWSGI threads (4 threads), mercy 3 s, requests of 10 s. 1 s apart (50..53 s): #1 closes at 60
  // (recycle, NO MERCY 63), #2 at 61 (NO MERCY 64), #3 at 62, #4 at 63: each close re-curses it,
  // so it drains cleanly. 4 s apart (50, 54, 58, 62 s): #1 closes at 60 (NO MERCY 63), #2 is still
  // running at 63 (it ends at 64): SIGKILL no-mercy, and #2 and #3 are lost: 502 worker-killed.
  // #4 (62 s) came after the recycle: it waits in the accept queue, which the master holds, and
  // the respawned worker (64 s) serves it.
  const m = (over: string) =>
    run(
      base({
        simulation: { duration: '80s' },
        traffic: { ...burst(4, 50, over), phases: [{ wait: 'const(10s)' }] },
        balancer: { kind: 'alb' },
        fleet: { server: { kind: 'uwsgi', version: '2.0.15', mode: 'threads', workers: 1, concurrency: 4, maxRequests: 1, minWorkerLifetime: '0s', reloadMercy: '3s', respawn: 'const(1s)' } },
      }),
    );
  const pushed = m('4s');
  assert.deepEqual(failures(pushed), {});
  assert.equal(pushed.killTotal, 0);
  const killed = m('16s');
  assert.deepEqual(failures(killed), { 'worker-killed': 2 });
  assert.equal(killed.cause.ok, 2);
  assert.equal(killed.kills['no-mercy'], 1);
  assert.equal(killed.r.mercyExits, 0);
  assert.equal(killed.status['502'], 2);
});

test('uWSGI gevent counts a request when its hub runs the close, not when the response is written', () => {
  // One gevent worker, mysqlclient, maxRequests 1, respawn 1 s, exit 20 ms; each request: a
  // 50 ms query (holds the hub), then 10 ms of waiting; a greenlet back from its wait needs the
  // hub to write its response. A 10.000: query to 10.050, wait to 10.060, then waits for the
  // hub. B 10.040: accepted at 10.050, query 10.050-10.100. C 10.080: accepted at the switch
  // point of 10.100, when A writes its response; A's close queues behind C's query
  // (10.100-10.150): the recycle begins at A's close, 10.150 (at the write it would be 10.100).
  // B's response waits for the hub until 10.150 (latency 110 ms); C's wait ends 10.160, it writes
  // and closes at once (80 ms): the last close of the drain ends the worker, which exits at
  // 10.180. D 10.120 waits in the accept queue; the new worker (11.180) serves it 11.180-11.240:
  // 1.120 s. Latencies 100, 110, 80, 1,120 ms: mean 352.5 ms. (Counted at the write, the
  // recycle would begin at 10.100 before the switch point: C would wait for the new worker too.)
  // Connection: close, so nothing races A's closing socket.
  const x = run(
    base({
      simulation: { duration: '20s' },
      traffic: {
        rate: NO_BASE_RATE,
        bursts: { every: 'const(10s)', size: 4, over: '160ms' },
        endpoints: [{ name: 'q', weight: 1, phases: [{ db: 'const(50ms)' }, { wait: 'const(10ms)' }] }],
      },
      balancer: { kind: 'alb' },
      fleet: {
        server: { kind: 'uwsgi', version: '2.0.15', mode: 'gevent', workers: 1, concurrency: 10, maxRequests: 1, minWorkerLifetime: '0s', connectionClose: true, respawn: 'const(1s)', exitDelay: 'const(20ms)' },
        db: { driver: 'mysqlclient', driverCpu: 'const(0s)', connect: 'const(0s)' },
      },
    }),
  );
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 4);
  near(x.r.latencyMs.max, 1120, 1e-6, 'D waits for the respawn after a recycle counted at the close');
  near(x.r.latencyMs.mean, 352.5, 1e-6, 'only D waits for the respawn');
});
