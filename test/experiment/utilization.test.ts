// Worker-process utilization (util, util-max) against cases derivable by hand, and the intervals
// of every figure staying inside what the quantity can be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate, parseMetricName } from '../../src/experiment/metrics.js';
import { runReplication, type ReplicationResult } from '../../src/experiment/replication.js';
import { summarize, type Figure, type RunResult } from '../../src/experiment/summarize.js';
import { quantityCI, summarizeCounts } from '../../src/stats/intervals.js';
import { base, near, parse, run, yamlOf, type Tree } from '../mechanisms/harness.js';

/** One process, Poisson arrivals at `rate`, one endpoint of `phases`. */
const oneWorker = (rate: string, phases: Tree[], server: Tree, db: Tree = {}): Tree =>
  base({
    simulation: { duration: '4000s' },
    traffic: { rate, endpoints: [{ name: 'e', phases }] },
    fleet: { vcpu: 4, server: { kind: 'uwsgi', workers: 1, backlog: 'unlimited', ...server }, db },
  });

test('util: a sync worker with deterministic 100 ms service at 5/s is busy λ·s = 50% of the time', () => {
  const x = run(oneWorker('5/s', [{ wait: 'const(100ms)' }], { mode: 'sync' }));
  near(x.r.utilization.process, 0.5, 0.02, 'sync utilization');
  assert.equal(x.r.utilization.processBusiest, x.r.utilization.process, 'one process: the busiest is the mean');
});

const instant: Tree = { driverCpu: 'const(0s)', connect: 'const(0s)' };

test('util: a gevent worker with mysqlclient holds its hub for CPU and query: λ·(cpu + db); PyMySQL only for the CPU', () => {
  const phases = [{ cpu: 'const(5ms)' }, { db: 'const(10ms)' }];
  const mysqlclient = run(oneWorker('20/s', phases, { mode: 'gevent', concurrency: 10 }, { driver: 'mysqlclient', ...instant }));
  near(mysqlclient.r.utilization.process, 20 * 0.015, 0.02, 'gevent + mysqlclient: hub busy = λ(cpu + db)');
  const pymysql = run(oneWorker('20/s', phases, { mode: 'gevent', concurrency: 10 }, { driver: 'pymysql', ...instant }));
  near(pymysql.r.utilization.process, 20 * 0.005, 0.01, 'gevent + pymysql: the query yields, the hub is busy for the CPU only');
});

test('util: a threads worker is busy while a thread holds the GIL or every thread is taken', () => {
  // 4 threads, 5 ms CPU and a 200 ms wait at 16/s: 3.3 threads busy on average, so all four are
  // taken a good share of the time, far more than the GIL's λ·cpu = 8%.
  const x = run(oneWorker('16/s', [{ cpu: 'const(5ms)' }, { wait: 'const(200ms)' }], { mode: 'threads', concurrency: 4 }));
  assert.ok(x.r.utilization.process > 0.08 + 0.1, `threads utilization ${x.r.utilization.process}`);
  assert.ok(x.r.utilization.process <= 1);
});

test('util-max: under the favourite accept order the lowest worker is the busiest, the mean is the offered load', () => {
  // Ordered hunting: the first worker takes every request that finds it free, so it carries what
  // one server carries in Erlang's loss system at A = λ·s erlangs: A·(1 − B(1, A)) = A/(1 + A).
  const x = run(
    base({
      simulation: { duration: '2000s' },
      traffic: { rate: '8/s', endpoints: [{ name: 'e', phases: [{ wait: 'const(100ms)' }] }] },
      fleet: { server: { kind: 'uwsgi', workers: 4, mode: 'sync', acceptOrder: 'favourite' } },
    }),
  );
  near(x.r.utilization.process, (8 * 0.1) / 4, 0.02, 'mean over the 4 workers');
  near(x.r.utilization.processBusiest, 0.8 / 1.8, 0.03, 'the favourite worker: A/(1 + A) at A = 0.8');
});

// ---------------------------------------------------------------- intervals

function figures(v: unknown, path: string, out: [string, Figure][]): void {
  if (v === null || typeof v !== 'object') return;
  const f = v as Figure;
  if ('mean' in f && 'ci95' in f && Array.isArray(f.ci95)) {
    out.push([path, f]);
    return;
  }
  for (const [k, x] of Object.entries(v)) figures(x, `${path}.${k}`, out);
}

function reps(tree: Tree, n: number): ReplicationResult[] {
  const m = parse(yamlOf(tree));
  return Array.from({ length: n }, (_, r) => runReplication(m, r));
}

test('intervals: no bound below 0 anywhere, no utilization or share above 100%, over several runs and an overloaded one', () => {
  const runs: [string, Tree][] = [
    ['healthy sync', oneWorker('5/s', [{ wait: 'exp(100ms)' }], { mode: 'sync' })],
    // 1.5 times what one worker can serve, a finite backlog: the latencies of replications differ wildly.
    [
      'overloaded sync',
      base({
        simulation: { duration: '120s' },
        traffic: { rate: '15/s', endpoints: [{ name: 'e', phases: [{ wait: 'exp(100ms)' }] }] },
        fleet: { server: { kind: 'uwsgi', workers: 1, mode: 'sync', backlog: 100 } },
        balancer: { idleTimeout: '30s' },
      }),
    ],
    ['gevent', oneWorker('40/s', [{ cpu: 'exp(5ms)' }, { db: 'exp(10ms)' }], { mode: 'gevent', concurrency: 10 }, { driver: 'mysqlclient', ...instant })],
  ];
  for (const [name, tree] of runs) {
    const rs = reps(tree, 3);
    const r: RunResult = summarize(parse(yamlOf(tree)), rs);
    const all: [string, Figure][] = [];
    figures(r, 'run', all);
    assert.ok(all.length > 30, `${name}: figures found`);
    for (const [path, f] of all) {
      const [lo, hi] = f.ci95;
      if (lo !== null) assert.ok(lo >= 0, `${name}: ${path} lower bound ${lo}`);
      if (/utilization\.(cpu|workers|process|processBusiest)$|queueWaitProbability|busiestWorkerShare/.test(path) && hi !== null) assert.ok(hi <= 1, `${name}: ${path} upper bound ${hi}`);
    }
    for (const form of ['p99', 'p50', 'mean', 'max', '502/5min', '5xx-rate', 'cpu', 'util', 'util-max', 'sigkills/h']) {
      const e = estimate(parseMetricName(form)!, rs, r.simulatedSeconds);
      if (!Number.isFinite(e.mean)) continue;
      assert.ok(e.lo >= 0, `${name}: ${form} lower bound ${e.lo}`);
      assert.ok(e.lo <= e.mean && e.mean <= e.hi, `${name}: ${form} holds its mean`);
      if (/rate|cpu|util/.test(form)) assert.ok(e.hi <= 1, `${name}: ${form} upper bound ${e.hi}`);
    }
  }
});

test("intervals: the issue's overloaded p99 and over-100% utilization are cut to what they can be", () => {
  // Three replications' p99 whose Student-t interval is 25,647 [-4,754, 56,047] ms.
  const p99 = [12_000, 25_647, 39_294];
  const t = quantityCI(p99, 'nonnegative');
  assert.equal(t.ci95[0], 0);
  assert.ok(Math.abs(t.mean - 25_647) < 1e-9 && t.ci95[1] > 56_000);
  const u = quantityCI([0.9, 0.964, 0.999, 1], 'fraction');
  assert.equal(u.ci95[1], 1);
  assert.ok(u.ci95[0] > 0.8 && u.ci95[0] < u.mean);
  // Counts: the Student-t branch stops at 0 too.
  const c = summarizeCounts([0, 0, 0, 200, 0]);
  assert.equal(c.method, 'student-t');
  assert.equal(c.ci95[0], 0);
});
