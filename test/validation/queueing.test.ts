// The kernel and the first path through the fleet against exact queueing-theory results.
// Every model runs through the same code path as `capsim run`. Parameters are chosen so that
// the 99% interval is within 2.5% of the exact value (a 5% error would fail) while the whole
// file stays within a few seconds on 2 cores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agrees, simulate } from './harness.js';
import { erlangC, mmcW, mmcWq, mmckLoss, pkWq } from './queueing-formulas.js';

/** A sync-worker model: `workers` servers, Poisson arrivals, one phase. */
function model(o: { rate: number; workers: number; phase: string; backlog?: string; vcpu?: number; duration: string; reps: number; warmup?: string; seed?: number }): string {
  return `
name: validation
simulation: { duration: ${o.duration}, warmup: ${o.warmup ?? '200s'}, replications: ${o.reps}, seed: ${o.seed ?? 7} }
traffic:
  rate: ${o.rate}/s
  endpoints: [ { name: job, phases: [ { ${o.phase} } ] } ]
# Textbook systems have no health checks (they add load and can take the target out of
# service), no idle timeout (it would cut the tail of the response times), and no connections
# opened ahead (a Classic ELB's pre-opened connection can hold a worker with no request).
balancer: { healthCheck: { enabled: false }, idleTimeout: 1000d, keepAlive: false, pool: { preopen: 0 } }
fleet:
  containers: 1
  memory: unlimited
  vcpu: ${o.vcpu ?? 1}
  overflow: refuse
  server: { workers: ${o.workers}, mode: sync, backlog: ${o.backlog ?? 'unlimited'} }
`;
}

test('M/M/1: mean response time 1/(μ−λ) and Little\'s law', () => {
  const { replications } = simulate(model({ rate: 0.7, workers: 1, phase: 'wait: exp(1s)', duration: '60000s', reps: 20 }));
  agrees(replications, (r) => r.latencyMs.mean / 1000, 1 / (1 - 0.7), 'M/M/1 W');
  agrees(replications, (r) => r.little.L, 0.7 / (1 - 0.7), 'M/M/1 L');
});

for (const lambda of [2, 3.4]) {
  test(`M/M/4 at ρ = ${lambda / 4}: Erlang C probability of waiting and mean wait`, () => {
    const { replications } = simulate(model({ rate: lambda, workers: 4, phase: 'wait: exp(1s)', duration: '50000s', reps: 20 }));
    agrees(replications, (r) => r.waitProbability, erlangC(4, lambda), 'P(wait)');
    agrees(replications, (r) => r.queueWaitMs.mean / 1000, mmcWq(4, lambda, 1), 'Wq');
  });
}

test('M/M/3/8 (3 workers, backlog 5, refuse): loss probability is P_K', () => {
  const { replications } = simulate(model({ rate: 3, workers: 3, phase: 'wait: exp(1s)', backlog: '5', duration: '20000s', reps: 12 }));
  const exact = mmckLoss(3, 8, 3, 1);
  agrees(replications, (r) => r.cause[2]! / (r.finished), exact, 'M/M/3/8 loss');
  // Every loss is a 502 backlog-overflow and nothing else failed.
  for (const r of replications) {
    assert.equal(r.status[2], r.cause[2]);
    assert.equal(r.status[1]! + r.status[3]! + r.status[4]!, 0);
  }
});

test('M/D/1: Pollaczek-Khinchine mean wait', () => {
  const lambda = 0.7;
  const { replications } = simulate(model({ rate: lambda, workers: 1, phase: 'wait: const(1s)', duration: '50000s', reps: 20 }));
  agrees(replications, (r) => r.queueWaitMs.mean / 1000, pkWq(lambda, 1, 1), 'M/D/1 Wq');
});

test('M/G/1 with lognormal service: Pollaczek-Khinchine mean wait', () => {
  const lambda = 0.6;
  // lognormal(mean=1s, sd=1.5s): E[S] = 1, E[S²] = sd² + mean² = 3.25
  const { replications } = simulate(model({ rate: lambda, workers: 1, phase: 'wait: lognormal(mean=1s, sd=1.5s)', duration: '150000s', reps: 30 }));
  agrees(replications, (r) => r.queueWaitMs.mean / 1000, pkWq(lambda, 1, 3.25), 'M/G/1 Wq');
});

test('processor sharing on 1 core: mean response time E[S]/(1−ρ), for exponential and lognormal work', () => {
  for (const phase of ['cpu: exp(1s)', 'cpu: lognormal(mean=1s, sd=1.5s)']) {
    const { replications } = simulate(model({ rate: 0.6, workers: 200, phase, duration: '50000s', reps: 20 }));
    agrees(replications, (r) => r.latencyMs.mean / 1000, 1 / (1 - 0.6), `M/G/1-PS W (${phase})`);
    for (const r of replications) assert.equal(r.queueWaitMs.mean, 0, 'with 200 workers nobody queues for a worker');
  }
});

test('processor sharing on 4 cores (rate min(1, c/n)): mean response time equals M/M/4, insensitive to the work distribution', () => {
  for (const phase of ['cpu: exp(1s)', 'cpu: lognormal(mean=1s, sd=2s)']) {
    const { replications } = simulate(model({ rate: 3, workers: 200, vcpu: 4, phase, duration: '30000s', reps: 20 }));
    agrees(replications, (r) => r.latencyMs.mean / 1000, mmcW(4, 3, 1), `4-core PS W (${phase})`);
    agrees(replications, (r) => r.utilization.cpu, 3 / 4, '4-core PS utilization');
  }
});

test("Little's law holds within every replication", () => {
  const { replications } = simulate(model({ rate: 3.4, workers: 4, phase: 'wait: exp(1s)', duration: '20000s', reps: 4 }));
  for (const r of replications) {
    const { L, lambda, W } = r.little;
    assert.ok(Math.abs(L - lambda * W) / L < 0.01, `L = ${L}, λW = ${lambda * W}`);
  }
});
