// --shard K/N and `capsim merge`: the shards together give exactly the unsharded output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMALL_MODEL } from '../experiment/fixtures.js';
import { capsim } from '../experiment/cli-helper.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'capsim-merge-'));
const model = path.join(tmp, 'small.yaml');
writeFileSync(model, SMALL_MODEL);
const grid = ['--vary', 'fleet.server.workers=3,4', '--vary', 'fleet.containers=1..3', '--replications', '4', '--quiet'];
const whole = path.join(tmp, 'whole');
const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json') || f.endsWith('.csv'));
const read = (dir: string, f: string) => readFileSync(path.join(dir, f), 'utf8');

test('three shards in three directories merge into byte-identical sweep.csv, sweep.json, manifest and points', () => {
  const r = capsim('sweep', model, ...grid, '--out', whole, '--jobs', '2');
  assert.equal(r.code, 0, r.stderr);
  const shards = [1, 2, 3].map((k) => path.join(tmp, `shard-${k}`));
  shards.forEach((dir, i) => {
    const s = capsim('sweep', model, ...grid, '--out', dir, '--shard', `${i + 1}/3`, '--jobs', '1');
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, new RegExp(`shard ${i + 1}/3 done`));
    assert.deepEqual(readdirSync(dir).sort(), ['points', `sweep-manifest.shard-${i + 1}-of-3.json`], 'a shard writes no final files');
  });
  const merged = path.join(tmp, 'merged');
  const m = capsim('merge', ...shards, '--out', merged);
  assert.equal(m.code, 0, m.stderr);
  const expected = files(whole).sort();
  assert.deepEqual(files(merged).sort(), expected);
  assert.ok(expected.includes('sweep.csv') && expected.includes('sweep.json') && expected.includes(path.join('points', 'p0005.json')));
  for (const f of expected) assert.equal(read(merged, f), read(whole, f), f);
  assert.equal(m.stdout.replaceAll(merged, ''), r.stdout.replaceAll(whole, ''));
});

test('shards that share one directory merge in place', () => {
  const shared = path.join(tmp, 'shared');
  for (const k of [2, 1]) assert.equal(capsim('sweep', model, ...grid, '--out', shared, '--shard', `${k}/2`).code, 0);
  const m = capsim('merge', shared);
  assert.equal(m.code, 0, m.stderr);
  for (const f of ['sweep.csv', 'sweep.json', 'sweep-manifest.json', path.join('points', 'p0003.json')]) assert.equal(read(shared, f), read(whole, f), f);
});

test('merge refuses missing shards, unfinished shards and different sweeps (exit 2)', () => {
  const a = path.join(tmp, 'only-1');
  const b = path.join(tmp, 'only-2');
  assert.equal(capsim('sweep', model, ...grid, '--out', a, '--shard', '1/2').code, 0);
  const missing = capsim('merge', a, '--out', path.join(tmp, 'x'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /shard 2\/2 missing/);
  // Shard 2 of another sweep (other replications).
  assert.equal(capsim('sweep', model, ...grid, '--replications', '2', '--out', b, '--shard', '2/2').code, 0);
  const other = capsim('merge', a, b, '--out', path.join(tmp, 'y'));
  assert.equal(other.code, 2);
  assert.match(other.stderr, /belong to different sweeps/);
  const noOut = capsim('merge', a, b);
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /--out DIR/);
  // A shard that did not finish: one of its points is missing.
  const c = path.join(tmp, 'unfinished-2');
  assert.equal(capsim('sweep', model, ...grid, '--out', c, '--shard', '2/2').code, 0);
  rmSync(path.join(c, 'points', 'p0003.shard-2-of-2.json'));
  const unfinished = capsim('merge', a, c, '--out', path.join(tmp, 'z'));
  assert.equal(unfinished.code, 2);
  assert.match(unfinished.stderr, /point 3 \(fleet\.server\.workers=4 fleet\.containers=1\) lacks replications 1, 3 \(shard 2\/2 not finished: rerun it with --resume\)/);
  const notSweep = capsim('merge', tmp);
  assert.equal(notSweep.code, 2);
  assert.match(notSweep.stderr, /no sweep-manifest/);
});
