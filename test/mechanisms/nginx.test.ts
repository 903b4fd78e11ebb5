// nginx 1.22 as the front (src/facts/nginx.ts, src/model/balancer/nginx.ts): proxy_next_upstream
// retries on the next server, max_fails / fail_timeout, "no live upstreams", the extra try of a
// failed cached keep-alive connection, proxy_read_timeout, and no reuse without `keepalive`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, failures, parse, run, yamlOf, type Tree } from './harness.js';

// ---- a reset (connection refused), then the next server.
// 2 containers, 1 uWSGI sync worker each, backlog 0, overflow refuse (a full queue refuses at
// once), 1 s per request; a burst of 4 at 10 s over 1.5 s: 10.000, 10.375, 10.750, 11.125.
//   R1 -> c0 (busy to 11.0); R2 -> c1 (busy to 11.375);
//   R3 -> c0: refused (error): c0 fails 1; next server c1: refused: c1 fails 1; tries (2) spent:
//      502 backlog-overflow after 1 retry;
//   R4 (11.125): both servers have max_fails (1) failures within fail_timeout (10 s): 502 no live upstreams.
const refuse = (balancer: Tree): Tree =>
  base({
    simulation: { duration: '19s' },
    traffic: { ...burst(4, 10, '1.5s'), phases: [{ wait: 'const(1s)' }] },
    balancer: { kind: 'nginx', ...balancer },
    fleet: { containers: 2, overflow: 'refuse', server: { kind: 'uwsgi', mode: 'sync', workers: 1, backlog: 0 } },
  });

test('nginx: a refused connect goes to the next server; both failed within fail_timeout: 502 no live upstreams', () => {
  const x = run(refuse({}));
  assert.equal(x.r.arrivals, 4);
  assert.deepEqual(failures(x), { 'backlog-overflow': 1, 'no-live-upstream': 1 });
  assert.equal(x.status['502'], 2);
  assert.equal(x.r.mechanisms.upstreamRetries, 1);
});

test('nginx, negatives: max_fails 0 or fail_timeout 0 never skips (R4 -> c0, free at 11.0); proxy_next_upstream off never retries', () => {
  for (const b of [{ maxFails: 0 }, { failTimeout: '0s' }]) {
    const x = run(refuse(b));
    assert.deepEqual(failures(x), { 'backlog-overflow': 1 }, JSON.stringify(b));
    assert.equal(x.cause.ok, 3);
  }
  // No retry: R3 fails at c0 only; R4 goes to c1 (not failed), busy to 11.375: refused too.
  const off = run(refuse({ nextUpstream: [] }));
  assert.deepEqual(failures(off), { 'backlog-overflow': 2 });
  assert.equal(off.r.mechanisms.upstreamRetries, 0);
});

// ---- a connect timeout, then the next server.
// 2 containers, 1 sync worker each, backlog 0 under Linux (the queue holds 1), 5 s per request,
// proxy_connect_timeout 2 s; a burst of 5 at 30 s over 1 s: 30.0, 30.2, 30.4, 30.6, 30.8.
//   R1 -> c0, R2 -> c1 (served to 35.0 / 35.2); R3 -> c0, R4 -> c1: queued (served 35-40, 35.2-40.2);
//   R5 -> c0: queue full, SYNs dropped (30.8, 31.8); timeout at 32.8: next server c1: full too;
//   timeout at 34.8: 504 connect-timeout after 1 retry.
const connect = (balancer: Tree): Tree =>
  base({
    simulation: { duration: '45s' },
    traffic: { ...burst(5, 30, '1s'), phases: [{ wait: 'const(5s)' }] },
    balancer: { kind: 'nginx', connectTimeout: '2s', ...balancer },
    fleet: { containers: 2, overflow: 'linux', server: { kind: 'uwsgi', mode: 'sync', workers: 1, backlog: 0 } },
  });

test('nginx: a connect timeout goes to the next server (proxy_next_upstream timeout)', () => {
  const x = run(connect({}));
  assert.equal(x.r.arrivals, 5);
  assert.deepEqual(failures(x), { 'connect-timeout': 1 });
  assert.equal(x.status['504'], 1);
  assert.equal(x.r.mechanisms.upstreamRetries, 1);
  // proxy_next_upstream error (without timeout): no retry.
  const errorOnly = run(connect({ nextUpstream: ['error'] }));
  assert.deepEqual(failures(errorOnly), { 'connect-timeout': 1 });
  assert.equal(errorOnly.r.mechanisms.upstreamRetries, 0);
});

// ---- the stale cached connection. nginx with upstream keepalive, one server (gunicorn gevent,
// keepalive 2 s), one user (think 2 s, 10 ms): every request after the first takes the cached
// connection exactly as gunicorn closes it (keepalive.test.ts: 4 × 502 behind an ALB). With a
// single server nginx never retries (free_peer sets tries to 0), but a failed cached connection
// gets one try more: the same server on a new connection. u_k = 2 + 2.01·k (each retried request
// ends 10 ms after its race): 9 arrivals in 20 s, all 200, 8 retries.
const cached = (balancer: Tree): Tree =>
  base({
    simulation: { duration: '20s' },
    traffic: { users: { count: 1, think: 'const(2s)' }, phases: [{ wait: 'const(10ms)' }] },
    balancer: { kind: 'nginx', keepAlive: true, ...balancer },
    fleet: { server: { kind: 'gunicorn', version: '20.1.0', mode: 'gevent', workers: 1, keepAlive: '2s' } },
  });

test('nginx: a failed cached keep-alive connection is retried on a new one (u->peer.tries++), even with one server', () => {
  const x = run(cached({}));
  assert.equal(x.r.arrivals, 9);
  assert.deepEqual(failures(x), {});
  assert.equal(x.r.mechanisms.keepaliveRaces, 8);
  assert.equal(x.r.mechanisms.upstreamRetries, 8);
  // The extra try still needs `error` in proxy_next_upstream: off -> 502 as behind an ALB.
  const off = run(cached({ nextUpstream: [] }));
  assert.deepEqual(failures(off), { 'keepalive-race': 4 });
  assert.equal(off.status['502'], 4);
});

test('nginx: proxy_read_timeout (balancer.idleTimeout) -> 504; nginx defaults: no keep-alive, no health checks', () => {
  const slow = (wait: string) =>
    run(
      base({
        simulation: { duration: '19s' },
        traffic: { ...burst(1, 10), phases: [{ wait }] },
        balancer: { kind: 'nginx', idleTimeout: '5s' },
        fleet: { server: { kind: 'uwsgi', mode: 'sync', workers: 1 } },
      }),
    );
  assert.deepEqual(failures(slow('const(6s)')), { 'idle-timeout': 1 });
  assert.equal(slow('const(6s)').status['504'], 1);
  assert.deepEqual(failures(slow('const(4s)')), {});
  const m = parse(yamlOf({ name: 'n', traffic: { rate: '1/s', phases: [{ wait: 'const(1ms)' }] }, balancer: { kind: 'nginx' } })).balancer;
  assert.equal(m.keepAlive, false);
  assert.equal(m.healthCheck.enabled, false);
  assert.equal(m.idleTimeout, 60);
  assert.equal(m.connectTimeout, 60);
  assert.deepEqual(m.nextUpstream, ['error', 'timeout']);
  assert.equal(m.maxFails, 1);
  assert.equal(m.failTimeout, 10);
});
