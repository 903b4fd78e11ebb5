// The balancer pool's named parts (balancer.pool: reuseDelay, noticeFin, retry) and its nodes
// (balancer.nodes), each with counts derived by hand or from a formula.
//
// The sync close-race setup of close-race.test.ts: one user, one uWSGI sync worker, 10 ms per
// request, uWSGI closes 50 µs after each response (closeLag), the user thinks `think` between an
// answer and its next request. A response at T opens the window [T, T + 50 µs) in which a request
// sent on that connection meets the close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EAGER, base, failures, run, type Tree } from './harness.js';

/** The eager pool with no release delay (offered as the response is read). */
const NOW = { profile: 'eager', reuseDelay: '0s' };

const syncModel = (think: string, pool: Tree | string, over: Tree = {}): Tree =>
  base({
    simulation: { duration: '51.9ms' },
    traffic: { users: { count: 1, think: `const(${think})` }, phases: [{ wait: 'const(10ms)' }] },
    balancer: { kind: 'alb', nodes: 1, pool, ...over },
    fleet: { server: { kind: 'uwsgi', version: '2.0.15', mode: 'sync', workers: 1, closeLag: '50us' } },
  });

test('reuseDelay: a connection offered only after its FIN arrived is never reused (noticeFin): no close race', () => {
  // Offered 60 µs after the response, the FIN at 50 µs: dropped before any request sees it.
  const late = run(syncModel('0.04ms', { profile: 'eager', reuseDelay: 'const(60us)' }));
  assert.deepEqual(failures(late), {});
  assert.equal(late.r.mechanisms.closeRaces, 0);
  // Offered at 30 µs, the request at 40 µs: inside the window still: every other request races
  // (5 of 11, as with an eager pool).
  const early = run(syncModel('0.04ms', { profile: 'eager', reuseDelay: 'const(30us)' }));
  assert.deepEqual(failures(early), { 'close-race': 5 });
  // The request at 20 µs comes before the connection is offered: it opens a new one; the one
  // after it (10 ms later) finds the pool's entry long closed: no race at all.
  const before = run(syncModel('0.02ms', { profile: 'eager', reuseDelay: 'const(30us)' }));
  assert.deepEqual(failures(before), {});
  assert.equal(before.r.mechanisms.keepaliveReuses, 0);
});

test('noticeFin false: a pool that does not watch idle connections sends on one whose FIN has arrived', () => {
  // 60 µs after the response the FIN has arrived: a watching pool opens a new connection…
  assert.deepEqual(failures(run(syncModel('0.06ms', NOW))), {});
  // …a pool that does not, writes on the closed one: close-race every other request.
  assert.deepEqual(failures(run(syncModel('0.06ms', { ...NOW, noticeFin: false }))), { 'close-race': 5 });
});

test('retry: the request that met the close is sent again on a new connection; nothing fails', () => {
  // Requests at 0.02, 10.04, 20.06, 30.08, 40.10, 50.12 ms; each after the first takes the
  // closing connection, meets the close and is sent again at once on a new one (10 ms each).
  const x = run(syncModel('0.02ms', { ...NOW, retry: true }));
  assert.equal(x.r.arrivals, 6);
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 5);
  assert.equal(x.r.mechanisms.closeRaces, 5);
  assert.equal(x.r.mechanisms.upstreamRetries, 5);
});

test('nginx: its pool is its own; pool.retry and other profiles are refused with kind nginx', () => {
  assert.throws(() => run(syncModel('0.02ms', 'eager', { kind: 'nginx' })), /balancer\.pool\.profile.*nginx/);
  assert.throws(() => run(syncModel('0.02ms', { retry: true }, { kind: 'nginx' })), /balancer\.pool\.retry.*proxy_next_upstream/);
  assert.throws(() => run(syncModel('0.02ms', 'nginx', { kind: 'nginx', nodes: 2 })), /balancer\.nodes/);
});

test('balancer.pool: a bad part is named with its expected form; an unknown profile too; a pre-open count is bounded', () => {
  assert.throws(() => run(syncModel('0.02ms', { preopen: -1 })), /balancer\.pool\.preopen: got -1, expected a whole number from 0 to 100/);
  assert.throws(() => run(syncModel('0.02ms', { preopen: 100000000 })), /balancer\.pool\.preopen: got 100000000, expected a whole number from 0 to 100/);
  assert.throws(() => run(syncModel('0.02ms', 'albb')), /balancer\.pool: got "albb", expected "alb", "elb", "nginx" or "eager"/);
  assert.throws(() => run(syncModel('0.02ms', { noticeFin: 'sometimes' })), /balancer\.pool\.noticeFin/);
});

// ---- Poisson traffic: the close-race rate against its formula.
// λ requests/s to one target, each 1 ms of waiting on one of 8 sync workers (never queued), then
// the close lag g of post-response CPU on a vCPU of its own. A response's connection is offered R after it (R from reuseDelay) and doomed until
// g: the first request of the same node in that window takes it and meets the close. With
// windows rarely overlapping, races per successful request = E[1 - exp(-λ/N · (g - R)+)].
const poisson = (rate: number, closeLag: string, pool: Tree, nodes: number): Tree =>
  base({
    simulation: { duration: '400s', seed: 7 },
    traffic: { rate: `${rate}/s`, phases: [{ wait: 'const(1ms)' }] },
    balancer: { kind: 'alb', nodes, pool },
    // 8 vCPUs: each close's post-response work (closeLag of CPU) runs unshared, so g = closeLag.
    fleet: { vcpu: 8, server: { kind: 'uwsgi', version: '2.0.15', mode: 'sync', workers: 8, closeLag } },
  });

/** E[1 - exp(-lambda (g - R)+)] for R ~ Exp(mean m) (m = 0: R = 0), by the midpoint rule. */
function expectedRaceShare(lambda: number, g: number, m: number): number {
  if (m === 0) return 1 - Math.exp(-lambda * g);
  const n = 20000;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = ((i + 0.5) / n) * g;
    sum += (1 - Math.exp(-lambda * (g - r))) * (Math.exp(-r / m) / m) * (g / n);
  }
  return sum;
}

function raceShare(x: ReturnType<typeof run>): number {
  return x.r.mechanisms.closeRaces / x.cause.ok;
}

test('nodes: each node has its own pools, so the close race falls with the per-node rate', () => {
  const one = raceShare(run(poisson(100, '1ms', NOW, 1)));
  const four = raceShare(run(poisson(100, '1ms', NOW, 4)));
  const want1 = expectedRaceShare(100, 0.001, 0);
  const want4 = expectedRaceShare(25, 0.001, 0);
  assert.ok(Math.abs(one / want1 - 1) < 0.1, `1 node: ${one} vs ${want1}`);
  assert.ok(Math.abs(four / want4 - 1) < 0.15, `4 nodes: ${four} vs ${want4}`);
});

test('reuseDelay exp(m): the close race is E[(g - R)+], far below an eager pool when m exceeds g', () => {
  const x = raceShare(run(poisson(100, '1ms', { profile: 'eager', reuseDelay: 'exp(2ms)' }, 1)));
  const want = expectedRaceShare(100, 0.001, 0.002);
  assert.ok(Math.abs(x / want - 1) < 0.12, `${x} vs ${want}`);
  assert.ok(want < expectedRaceShare(100, 0.001, 0) / 3);
});

test('reuseDelay on a kept-alive connection (gunicorn gevent keep-alive): not offered before its delay', () => {
  const keepAlive = (think: string): Tree =>
    base({
      simulation: { duration: '1s' },
      traffic: { users: { count: 1, think: `const(${think})` }, phases: [{ wait: 'const(10ms)' }] },
      balancer: { kind: 'alb', nodes: 1, pool: { profile: 'eager', reuseDelay: 'const(5ms)' } },
      fleet: { server: { kind: 'gunicorn', version: '20.1.0', mode: 'gevent', workers: 1, keepAlive: '75s' } },
    });
  // 1 ms after an answer its connection is not offered yet: the second request opens another;
  // from the third on, each takes the connection of the request before last (offered by then).
  const soon = run(keepAlive('1ms'));
  assert.equal(soon.r.mechanisms.keepaliveReuses, soon.r.arrivals - 2);
  assert.deepEqual(failures(soon), {});
  const later = run(keepAlive('6ms'));
  assert.equal(later.r.mechanisms.keepaliveReuses, later.r.arrivals - 1, 'every request after the first reuses the connection');
  assert.deepEqual(failures(later), {});
});

test("the close's post-response work is CPU: on a busy vCPU it stretches as processor sharing says, x / (1 - ρ)", () => {
  // 1 vCPU shared by 16 sync workers (never queued for a worker); requests of exp(10 ms) CPU at
  // 50/s and 100 µs of post-response work each: ρ = 50 × (10 ms + 0.1 ms) = 0.505. Under
  // processor sharing a job of size x takes x / (1 - ρ) on average (M/G/1-PS): 202 µs.
  const x = run(
    base({
      simulation: { duration: '600s', seed: 3 },
      traffic: { rate: '50/s', phases: [{ cpu: 'exp(10ms)' }] },
      balancer: { kind: 'alb', ...EAGER },
      fleet: { vcpu: 1, server: { kind: 'uwsgi', version: '2.0.15', mode: 'sync', workers: 16, closeLag: '100us' } },
    }),
  );
  const want = 0.1 / (1 - 0.505);
  assert.ok(Math.abs(x.r.mechanisms.closeDelayMeanMs / want - 1) < 0.08, `${x.r.mechanisms.closeDelayMeanMs} ms vs ${want} ms`);
});
