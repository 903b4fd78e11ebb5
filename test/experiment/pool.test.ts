// The replication pool: warm workers across run() calls, each model sent once per worker, and
// results identical to replications run on this thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplicationPool } from '../../src/experiment/pool.js';
import { runReplication } from '../../src/experiment/replication.js';
import { smallModel } from './fixtures.js';

test('pool: the same results as on this thread, across run() calls and models, with its cost summed', async () => {
  const a = smallModel(['simulation.duration=20s']);
  const b = smallModel(['simulation.duration=20s', 'fleet.server.workers=3']);
  const pool = new ReplicationPool(2);
  try {
    const first = await pool.run([0, 1, 2, 3].map((r) => ({ model: a, replication: r })));
    // The second run reuses the workers and model a (sent already), and sends b once to each.
    const second = await pool.run([0, 1, 2].flatMap((r) => [{ model: a, replication: r + 4 }, { model: b, replication: r }]));
    for (let r = 0; r < 4; r++) assert.deepEqual(first[r], runReplication(a, r));
    for (let r = 0; r < 3; r++) {
      assert.deepEqual(second[2 * r], runReplication(a, r + 4));
      assert.deepEqual(second[2 * r + 1], runReplication(b, r));
    }
    assert.equal(pool.cost.replications, 10);
    const requests = [...first, ...second].reduce((s, x) => s + x.arrivals, 0);
    assert.equal(pool.cost.requests, requests); // no warmup: simulated = measured
    assert.ok(pool.cost.events > 1.5 * requests && pool.cost.heapBytes > 0 && pool.cost.seconds > 0);
  } finally {
    await pool.close();
  }
});
