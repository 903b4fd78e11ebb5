// Mechanisms 7 and 8: the database side.
//   pool-timeout 500: SQLAlchemy QueuePool exhausted for `timeout` -> the app answers 500.
//   db-max-connections 500: MySQL refuses a connection past max_connections (error 1040).
//   mysqlclient (C) under gevent holds the hub for the whole query: one query at a time per
//   process; PyMySQL yields (but costs 1.6× the driver CPU); threads release the GIL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, failures, near, run, sojournSum, type Tree } from './harness.js';

/** `k` simultaneous requests at 30 s, each one db query of `query`, on one worker. */
const dbModel = (k: number, query: string, server: Tree, db: Tree): Tree =>
  base({
    simulation: { duration: '59s' },
    traffic: { ...burst(k, 30), phases: [{ db: query }] },
    fleet: { server: { kind: 'uwsgi', workers: 1, ...server }, db },
  });

const gevent10: Tree = { mode: 'gevent', concurrency: 10 };
/** No driver CPU and no connect time: the query is the only time. */
const instant: Tree = { driverCpu: 'const(0s)', connect: 'const(0s)' };

// ---------------------------------------------------------------- pool timeout

test('pool-timeout: pool 1 + 0 overflow, timeout 1 s, 2 concurrent 5 s queries -> one 500 after exactly 1 s', () => {
  // A takes the only connection for 5 s; B waits 1 s in the pool and gets TimeoutError.
  const x = run(dbModel(2, 'const(5s)', gevent10, { driver: 'pymysql', ...instant, pool: { size: 1, maxOverflow: 0, timeout: '1s' } }));
  assert.deepEqual(failures(x), { 'pool-timeout': 1 });
  assert.equal(x.status['500'], 1);
  assert.equal(x.cause.ok, 1);
  near(x.r.latencyMs.max, 5000, 1e-6, 'A (ms)');
  near(sojournSum(x), 5 + 1, 1e-9, 'response times: A 5 s, B 1 s');
});

test('pool-timeout, negative: a timeout longer than the hold lets B wait and succeed', () => {
  const x = run(dbModel(2, 'const(5s)', gevent10, { driver: 'pymysql', ...instant, pool: { size: 1, maxOverflow: 0, timeout: '10s' } }));
  assert.deepEqual(failures(x), {});
  near(sojournSum(x), 5 + 10, 1e-9, 'B waits 5 s for A, then 5 s: 10 s');
  assert.equal(x.r.mechanisms.dbConnectionsMax, 1, 'the pool keeps its one connection open and reuses it');
});

test('pool-timeout, negative: maxOverflow 1 lends a second connection: no wait', () => {
  const x = run(dbModel(2, 'const(5s)', gevent10, { driver: 'pymysql', ...instant, pool: { size: 1, maxOverflow: 1, timeout: '1s' } }));
  assert.deepEqual(failures(x), {});
  near(sojournSum(x), 10, 1e-9, 'both 5 s');
  assert.equal(x.r.mechanisms.dbConnectionsMax, 2);
});

test('pool-timeout: threads hold the pool the same way (4 threads, pool 2 + 0, 4 queries -> 2 × 500)', () => {
  const x = run(dbModel(4, 'const(5s)', { mode: 'threads', concurrency: 4 }, { ...instant, pool: { size: 2, maxOverflow: 0, timeout: '1s' } }));
  assert.deepEqual(failures(x), { 'pool-timeout': 2 });
  near(sojournSum(x), 5 + 5 + 1 + 1, 1e-9, 'response times');
});

// ---------------------------------------------------------------- max_connections

test('db-max-connections: maxConnections 1, no pool, 2 simultaneous queries (threads, mysqlclient) -> one 500', () => {
  const x = run(dbModel(2, 'const(1s)', { mode: 'threads', concurrency: 2 }, { maxConnections: 1 }));
  assert.deepEqual(failures(x), { 'db-max-connections': 1 });
  assert.equal(x.status['500'], 1);
  assert.equal(x.r.mechanisms.dbRefused, 1);
  assert.equal(x.r.mechanisms.dbConnectionsMax, 1);
});

test('db-max-connections: gevent + pymysql (yields during the query) -> one 500', () => {
  const x = run(dbModel(2, 'const(1s)', gevent10, { driver: 'pymysql', maxConnections: 1 }));
  assert.deepEqual(failures(x), { 'db-max-connections': 1 });
});

test('db-max-connections: across processes: 3 sync workers, maxConnections 2 -> one 500', () => {
  const x = run(dbModel(3, 'const(1s)', { mode: 'sync', workers: 3 }, { maxConnections: 2 }));
  assert.deepEqual(failures(x), { 'db-max-connections': 1 });
});

test('db-max-connections, negative: enough connections, or gevent + mysqlclient (one query at a time)', () => {
  assert.deepEqual(failures(run(dbModel(2, 'const(1s)', { mode: 'threads', concurrency: 2 }, { maxConnections: 2 }))), {});
  // mysqlclient holds the hub: B is not even accepted until A's query is over and its
  // connection closed, so one connection is enough.
  const x = run(dbModel(2, 'const(1s)', gevent10, { driver: 'mysqlclient', maxConnections: 1 }));
  assert.deepEqual(failures(x), {});
  assert.equal(x.r.mechanisms.dbConnectionsMax, 1);
});

// ---------------------------------------------------------------- mysqlclient and the hub

// One gevent worker (10 async cores), 10 simultaneous requests, each one 100 ms query.
// Defaults: driver CPU 0.2 ms per query (PyMySQL 1.6× = 0.32 ms), connect 2 ms (no pool).
test('mysqlclient under gevent serialises the queries: the last ends at 10 × (0.2 + 2 + 100) ms', () => {
  const x = run(dbModel(10, 'const(100ms)', gevent10, { driver: 'mysqlclient' }));
  assert.deepEqual(failures(x), {});
  near(x.r.latencyMs.max, 10 * 102.2, 1e-6, 'last response (ms)');
  // Request i ends at i × 102.2 ms: the mean is 5.5 × 102.2 ms.
  near(x.r.latencyMs.mean, 5.5 * 102.2, 1e-6, 'mean latency (ms)');
});

test('pymysql under gevent overlaps the queries: the last ends at 10 × 0.32 ms (driver CPU, serial) + 102 ms', () => {
  const x = run(dbModel(10, 'const(100ms)', gevent10, { driver: 'pymysql' }));
  assert.deepEqual(failures(x), {});
  near(x.r.latencyMs.max, 10 * 0.32 + 102, 1e-6, 'last response (ms)');
});

test('mysqlclient with threads does not serialise: the last ends at 10 × 0.2 ms (GIL) + 102 ms', () => {
  const x = run(dbModel(10, 'const(100ms)', { mode: 'threads', concurrency: 10 }, { driver: 'mysqlclient' }));
  assert.deepEqual(failures(x), {});
  near(x.r.latencyMs.max, 10 * 0.2 + 102, 1e-6, 'last response (ms)');
});

test('mysqlclient under gevent: a wait phase (patched I/O) still overlaps', () => {
  // The hub is held only by C calls; a `wait` yields: 10 × 100 ms waits end together.
  const x = run(
    base({
      simulation: { duration: '19s' },
      traffic: { ...burst(10, 10), phases: [{ wait: 'const(100ms)' }] },
      fleet: { server: { kind: 'uwsgi', workers: 1, ...gevent10 }, db: { driver: 'mysqlclient' } },
    }),
  );
  near(x.r.latencyMs.max, 100, 1e-6, 'last response (ms)');
});

test('mysqlclient under gevent: queries handed to the CPU with their next burst give exactly the results of an event at each query end', async () => {
  const { loadModelFile } = await import('../../src/scenario/load-model.js');
  const { runReplication } = await import('../../src/experiment/replication.js');
  const { RequestRunner } = await import('../../src/model/server/request-runner.js');
  const models = ['01-uwsgi-2-workers.yaml', '03-sqlalchemy-pool.yaml'].map((f) =>
    loadModelFile(new URL(`../../../models/incident/${f}`, import.meta.url).pathname, [
      // Busy containers (bursts share the CPU while queries end), frequent recycles and a short
      // mercy, harakiri 1 s against 1% of queries holding the hub 1-3 s (processes killed during
      // queries and bursts), a timeline that reads the CPUs.
      'fleet.containers=3',
      'fleet.vcpu=1',
      'fleet.server.maxRequests=400',
      'fleet.server.reloadMercy=200ms',
      'fleet.server.harakiri=1s',
      'traffic.endpoints.0.phases.1.db=mix(0.99: lognormal(mean=4ms, sd=4ms), 0.01: uniform(1s, 3s))',
      'simulation.duration=4m',
      'simulation.warmup=1m',
    ]),
  );
  const once = (model: (typeof models)[number], fold: boolean) => {
    RequestRunner.handQueriesToCpu = fold;
    try {
      return runReplication(model, 0, { timelineInterval: 5 });
    } finally {
      RequestRunner.handQueriesToCpu = true;
    }
  };
  for (const model of models) {
    const folded = once(model, true);
    const evented = once(model, false);
    assert.ok(folded.events < evented.events * 0.97, `fewer events: ${folded.events} vs ${evented.events}`);
    assert.ok(folded.sigkills.reduce((a, b) => a + b, 0) + folded.mercyExits > 0, 'processes die mid-request');
    assert.deepEqual({ ...folded, events: 0 }, { ...evented, events: 0 });
  }
});
