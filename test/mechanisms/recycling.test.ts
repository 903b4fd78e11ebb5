// Mechanisms 9 and 10: recycling rules (max-requests, uWSGI max-requests-delta and
// min-worker-lifetime, gunicorn max_requests_jitter) and the respawn gap.
//
// Counting trick: `respawn: const(1000s)` keeps a recycled worker's slot empty for the whole
// window, so each worker serves exactly its threshold and then nothing: the number of 200s is
// the sum of the workers' thresholds, whatever the order in which they took the requests.
// One user, think 1 s, service 10 ms: requests at 1, 2.01, 3.02, … s, one at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runReplication } from '../../src/experiment/replication.js';
import { base, failures, near, parse, run, yamlOf, type Tree } from './harness.js';

const oneUser = (server: Tree, duration = '40s'): Tree =>
  base({
    simulation: { duration },
    traffic: { users: { count: 1, think: 'const(1s)' }, phases: [{ wait: 'const(10ms)' }] },
    fleet: { server: { mode: 'sync', respawn: 'const(1000s)', ...server } },
  });

const uwsgi3 = (version: string): Tree => ({ kind: 'uwsgi', version, workers: 3, maxRequests: 2, maxRequestsDelta: 3, minWorkerLifetime: '0s' });

// ---------------------------------------------------------------- max-requests-delta

test('uWSGI before 2.0.29 ignores max-requests-delta: every worker recycles after exactly maxRequests', () => {
  for (const version of ['2.0', '2.0.15', '2.0.28']) {
    const x = run(oneUser(uwsgi3(version)));
    assert.equal(x.cause.ok, 3 * 2, version);
    assert.equal(x.r.recycles, 3, version);
    assert.deepEqual(failures(x), {}, version);
  }
});

test('uWSGI 2.0.29+ honours max-requests-delta: worker i recycles after maxRequests + i·delta', () => {
  for (const version of ['2.0.29', '2.0.30']) {
    const x = run(oneUser(uwsgi3(version)));
    // 2 + 5 + 8 = 15 requests before the three have recycled.
    assert.equal(x.cause.ok, 15, version);
    assert.equal(x.r.recycles, 3, version);
  }
});

test('max-requests with respawns: recycles = requests / maxRequests', () => {
  // One worker, maxRequests 3, respawned 0.5 s after it exits (before the next request):
  // requests at 1 + 1.01·k s; 29 finish in 30 s -> floor(29 / 3) = 9 recycles, no failure.
  const x = run(oneUser({ kind: 'uwsgi', workers: 1, maxRequests: 3, minWorkerLifetime: '0s', respawn: 'const(0.5s)' }, '30s'));
  assert.equal(x.cause.ok, 29);
  assert.equal(x.r.recycles, 9);
  assert.equal(x.r.respawns, 9);
  assert.equal(x.killTotal, 0);
});

// ---------------------------------------------------------------- min-worker-lifetime

test('uWSGI min-worker-lifetime delays the recycle until the worker is that old', () => {
  // maxRequests 1. Requests end at 1.01, 2.02, 3.03, 4.04, 5.05 s…: with a lifetime of 5 s
  // the first one past it is the fifth (5.05 s); with 3.5 s the fourth; with 0 the first.
  const m = (life: string | undefined) =>
    oneUser({ kind: 'uwsgi', version: '2.0.15', workers: 1, maxRequests: 1, ...(life === undefined ? {} : { minWorkerLifetime: life }) });
  assert.equal(run(m('0s')).cause.ok, 1);
  assert.equal(run(m('3.5s')).cause.ok, 4);
  assert.equal(run(m('5s')).cause.ok, 5);
  // The default is uWSGI's code default, 10 s (not the help text's 60): the 10th (10.10 s).
  assert.equal(run(m(undefined)).cause.ok, 10);
  for (const life of ['0s', '5s']) assert.equal(run(m(life)).r.recycles, 1);
});

test('gunicorn has no min-worker-lifetime: it recycles after maxRequests at any age', () => {
  const x = run(oneUser({ kind: 'gunicorn', workers: 1, maxRequests: 1, minWorkerLifetime: '5s', harakiri: '0s' }));
  assert.equal(x.cause.ok, 1);
});

// ---------------------------------------------------------------- gunicorn jitter

test('gunicorn max_requests_jitter: each worker recycles after maxRequests + randint(0, jitter), both ends reached', () => {
  const seen = new Set<number>();
  for (let rep = 0; rep < 30; rep++) {
    const m = oneUser({ kind: 'gunicorn', workers: 1, maxRequests: 5, maxRequestsJitter: 2, harakiri: '0s' }, '20s');
    const x = runRep(m, rep);
    assert.ok(x >= 5 && x <= 7, `threshold ${x} outside [5, 7]`);
    seen.add(x);
  }
  assert.deepEqual([...seen].sort(), [5, 6, 7], 'every value of randint(0, 2) occurs in 30 replications');
});

test('gunicorn without jitter, and uWSGI (no jitter setting), recycle after exactly maxRequests', () => {
  for (let rep = 0; rep < 5; rep++) {
    assert.equal(runRep(oneUser({ kind: 'gunicorn', workers: 1, maxRequests: 5, harakiri: '0s' }, '20s'), rep), 5);
    assert.equal(runRep(oneUser({ kind: 'uwsgi', workers: 1, maxRequests: 5, maxRequestsJitter: 2, minWorkerLifetime: '0s' }, '20s'), rep), 5);
  }
});

/** 200s of replication `rep` (the worker's threshold, with respawn const(1000s)). */
function runRep(m: Tree, rep: number): number {
  return runReplication(parse(yamlOf(m)), rep).cause[0]!;
}

// ---------------------------------------------------------------- respawn gap

// Two uWSGI sync workers with maxRequests 1 and two simultaneous requests at 10 s (10 ms each):
// both workers recycle at 10.01 s: none is left accepting. Each exits 20 ms later (exitDelay);
// the master notices on its next loop turn (every masterCycle = 1 s, random phase) and forks
// (5 ms; the app is preloaded). So zero live workers for 20 ms + (0..1 s) + 5 ms.
const pair = (server: Tree): Tree =>
  base({
    simulation: { duration: '19s' },
    traffic: { rate: '0.001/d', bursts: { every: 'const(10s)', size: 2 }, phases: [{ wait: 'const(10ms)' }] },
    fleet: { server: { mode: 'sync', workers: 2, maxRequests: 1, minWorkerLifetime: '0s', exitDelay: 'const(20ms)', fork: 'const(5ms)', ...server } },
  });

test('respawn gap: uWSGI workers with the same maxRequests recycle together -> zero live workers until the master reaps', () => {
  const gaps: number[] = [];
  for (let rep = 0; rep < 20; rep++) {
    const r = runReplication(parse(yamlOf(pair({ kind: 'uwsgi', version: '2.0.15' }))), rep);
    assert.equal(r.recycles, 2);
    assert.equal(r.respawns, 2);
    assert.ok(r.zeroLiveSeconds >= 0.025 - 1e-9 && r.zeroLiveSeconds <= 1.025 + 1e-9, `gap ${r.zeroLiveSeconds} outside [exit + fork, exit + cycle + fork]`);
    gaps.push(r.zeroLiveSeconds);
  }
  assert.ok(Math.max(...gaps) - Math.min(...gaps) > 0.5, `the master's phase spreads the gap: ${gaps.join(', ')}`);
});

test('respawn gap: a longer master cycle lengthens it (masterCycle 3 s -> up to 3.025 s); masterCycle 0 reaps at once', () => {
  for (let rep = 0; rep < 10; rep++) {
    const r = runReplication(parse(yamlOf(pair({ kind: 'uwsgi', masterCycle: '3s' }))), rep);
    assert.ok(r.zeroLiveSeconds >= 0.025 - 1e-9 && r.zeroLiveSeconds <= 3.025 + 1e-9, `gap ${r.zeroLiveSeconds}`);
  }
  near(run(pair({ kind: 'uwsgi', masterCycle: '0s' })).r.zeroLiveSeconds, 0.025, 1e-9, 'exit 20 ms + fork 5 ms');
});

test('respawn gap, negative: uWSGI 2.0.29 with max-requests-delta staggers the recycles: never zero live workers', () => {
  const x = run(pair({ kind: 'uwsgi', version: '2.0.29', maxRequestsDelta: 1 }));
  assert.equal(x.r.recycles, 1, 'worker 0 recycles after 1, worker 1 would after 2');
  assert.equal(x.r.zeroLiveSeconds, 0);
});

test('respawn gap: gunicorn reaps at once (SIGCHLD); with preload the gap is exit + fork only', () => {
  const x = run(pair({ kind: 'gunicorn', preload: true, harakiri: '0s' }));
  assert.equal(x.r.recycles, 2);
  near(x.r.zeroLiveSeconds, 0.025, 1e-9, 'exit 20 ms + fork 5 ms');
});

test('respawn gap: gunicorn without preload adds the app import to the gap', () => {
  const x = run(pair({ kind: 'gunicorn', preload: false, appImport: 'const(2s)', harakiri: '0s' }));
  near(x.r.zeroLiveSeconds, 2.025, 1e-9, 'exit 20 ms + fork 5 ms + import 2 s');
});

test('respawn gap: an explicit respawn distribution replaces the modelled gap (after the exit)', () => {
  const x = run(pair({ kind: 'uwsgi', respawn: 'const(3s)' }));
  near(x.r.zeroLiveSeconds, 3.02, 1e-9, 'exit 20 ms + respawn 3 s');
});

test('respawn gap: requests that arrive while no worker is live wait in the accept queue (no failure)', () => {
  // A second pair at 20 s would be served at once; one at 10.5 s (during the gap with
  // masterCycle 0 and respawn 3 s) waits until the workers are back.
  const x = run(
    base({
      simulation: { duration: '19s' },
      traffic: { rate: '0.001/d', bursts: { every: 'const(10s)', size: 3, over: '1.5s' }, phases: [{ wait: 'const(10ms)' }] },
      fleet: { server: { kind: 'uwsgi', mode: 'sync', workers: 1, maxRequests: 1, minWorkerLifetime: '0s', exitDelay: 'const(20ms)', respawn: 'const(3s)' } },
    }),
  );
  // Arrivals at 10, 10.5, 11 s. #1 ends 10.01 (recycle; back at 13.03); #2, #3 wait: #2 served
  // 13.03–13.04 (recycle; back at 16.06); #3 served 16.06–16.07.
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 3);
  near(x.r.latencyMs.max, (16.07 - 11) * 1000, 1e-6, '#3 (ms)');
});
