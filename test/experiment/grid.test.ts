import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGrid, parseVary } from '../../src/experiment/grid.js';
import { ExperimentInputError } from '../../src/experiment/errors.js';
import { inShard, parseShard } from '../../src/experiment/shard.js';

test('--vary lists: values, integer ranges, ranges with a step, and mixes', () => {
  assert.deepEqual(parseVary('fleet.server.workers=2,4,8').values, [2, 4, 8]);
  assert.deepEqual(parseVary('fleet.server.workers=2..6').texts, ['2', '3', '4', '5', '6']);
  assert.deepEqual(parseVary('fleet.server.workers=2..16:2').values, [2, 4, 6, 8, 10, 12, 14, 16]);
  assert.deepEqual(parseVary('fleet.server.workers=2..7:2').values, [2, 4, 6]);
  assert.deepEqual(parseVary('fleet.containers=1, 2, 4..8:4').values, [1, 2, 4, 8]);
  assert.deepEqual(parseVary('fleet.server.mode=sync,gevent').values, ['sync', 'gevent']);
  assert.deepEqual(parseVary('fleet.memory=1GiB,2GiB').texts, ['1GiB', '2GiB']);
  assert.equal(parseVary('fleet.server.workers=8').values.length, 1);
});

test('--vary: malformed lists are input errors naming the argument and the form', () => {
  for (const bad of ['fleet.server.workers', 'fleet.server.workers=', '=2,4', 'a..b=1', 'w=16..2', 'w=2..x', 'w=2..8:0', 'w=2,,4', 'w=2,2', 'w=1.5..3']) {
    assert.throws(
      () => parseVary(bad),
      (e: unknown) => e instanceof ExperimentInputError && e.message.startsWith(`--vary ${bad}:`) && /expected PATH=LIST/.test(e.message),
      bad,
    );
  }
});

test('the grid is the full product, the first --vary slowest; a path twice is an error', () => {
  const g = makeGrid([parseVary('fleet.server.workers=2,4'), parseVary('fleet.containers=1..3')]);
  assert.equal(g.length, 6);
  assert.deepEqual(
    g.map((p) => [p.values['fleet.server.workers'], p.values['fleet.containers']]),
    [[2, 1], [2, 2], [2, 3], [4, 1], [4, 2], [4, 3]],
  );
  assert.deepEqual(g[4]!.sets, ['fleet.server.workers=4', 'fleet.containers=2']);
  assert.deepEqual(g.map((p) => p.index), [0, 1, 2, 3, 4, 5]);
  assert.throws(() => makeGrid([parseVary('a=1'), parseVary('a=2')]), ExperimentInputError);
});

test('--shard K/N: every (point, replication) belongs to exactly one shard', () => {
  assert.deepEqual(parseShard('2/4'), { k: 2, n: 4 });
  for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/2/3']) assert.throws(() => parseShard(bad), ExperimentInputError, bad);
  const n = 3;
  const R = 4;
  const counts = new Map<number, number>();
  for (let p = 0; p < 5; p++) {
    for (let r = 0; r < R; r++) {
      const owners = [1, 2, 3].filter((k) => inShard({ k, n }, p, r, R));
      assert.equal(owners.length, 1, `point ${p} replication ${r}`);
      counts.set(owners[0]!, (counts.get(owners[0]!) ?? 0) + 1);
    }
  }
  // Round-robin: the 20 units split 7/7/6.
  assert.deepEqual([...counts.entries()].sort(), [[1, 7], [2, 7], [3, 6]]);
  assert.equal(inShard(null, 3, 2, R), true);
});
