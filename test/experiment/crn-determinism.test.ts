// Common random numbers, and results that do not depend on where replications run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplicationPool } from '../../src/experiment/pool.js';
import { runReplication } from '../../src/experiment/replication.js';
import { Sweep, type SweepSpec } from '../../src/experiment/sweep.js';
import { loadPriceTable } from '../../src/experiment/price-file.js';
import { SMALL_MODEL, smallModel } from './fixtures.js';

const spec = (vary: { path: string; texts: string[] }[], replications = 3): SweepSpec => ({
  file: 'small.yaml',
  text: SMALL_MODEL,
  sets: [],
  vary,
  replications,
  prices: loadPriceTable(),
  arch: 'x86',
});

test('common random numbers: points that differ only in workers see the same arrivals in replication r', async () => {
  const sweep = new Sweep(spec([{ path: 'fleet.server.workers', texts: ['3', '4', '8'] }]));
  const pool = new ReplicationPool(1);
  await sweep.ensure(sweep.points.map((p) => ({ point: p.index, n: 3 })), pool);
  await pool.close();
  const arrivals = sweep.points.map((p) => sweep.reps(p.index, 3).map((r) => r.arrivals));
  assert.deepEqual(arrivals[1], arrivals[0]);
  assert.deepEqual(arrivals[2], arrivals[0]);
  // …while replications differ from each other, and the points' outcomes differ.
  assert.notEqual(arrivals[0]![0], arrivals[0]![1]);
  const ok = sweep.points.map((p) => sweep.reps(p.index, 3).map((r) => r.status[0]));
  assert.notDeepEqual(ok[0], ok[2]);
});

test('the same replications on 1 thread and on 2 worker threads', async () => {
  const models = [smallModel(), smallModel(['fleet.server.workers=6'])];
  const tasks = models.flatMap((model) => [0, 1, 2].map((replication) => ({ model, replication })));
  const one = await new ReplicationPool(1).run(tasks);
  const pool = new ReplicationPool(2);
  const order: number[] = [];
  const two = await pool.run(tasks, (i) => order.push(i));
  await pool.close();
  assert.deepEqual(two, one);
  assert.equal(order.length, tasks.length);
  assert.deepEqual(one[4], runReplication(models[1]!, 1));
});

test('a failing replication rejects the run', async () => {
  const bad = { ...smallModel(), fleet: null } as never;
  const pool = new ReplicationPool(2);
  await assert.rejects(pool.run([{ model: bad, replication: 0 }, { model: bad, replication: 1 }]));
  await pool.close();
});
