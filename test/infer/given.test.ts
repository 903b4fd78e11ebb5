// --given on run, sweep and size: answers over the plausible points of an inference (here an
// infer.json written by hand: two close lags, one far worse than the other).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim } from '../experiment/cli-helper.js';

const MODEL = 'models/incident/01-uwsgi-2-workers.yaml';
// One node with an eager pool: the close race then follows the close lag closely (the ALB's own
// pool, with its reuse delay, makes it rare at this small rate).
const SMALL = ['--set', 'traffic.rate=4k/min', '--set', 'fleet.containers=1', '--set', 'balancer.pool=eager', '--set', 'balancer.nodes=1', '--duration', '1m', '--warmup', '20s'];
const dir = mkdtempSync(path.join(tmpdir(), 'capsim-given-'));
const answer = (plausible: { point: Record<string, string | number>; implausibility: number }[]) => ({ format: 'capsim-infer/1', verdict: plausible.length ? 'fits' : 'nothing fits', plausible, unmet: plausible.length ? null : { observation: '502s', implausibility: 9 } });
const given = path.join(dir, 'infer.json');
writeFileSync(
  given,
  JSON.stringify(
    answer([
      { point: { 'fleet.server.closeLag': '200us' }, implausibility: 1 },
      { point: { 'fleet.server.closeLag': '800us' }, implausibility: 2 },
    ]),
  ),
);

test('run --given: the pooled figures, and each figure across the plausible points with the replication noise said apart', () => {
  const r = capsim('run', MODEL, ...SMALL, '--replications', '4', '--given', dir, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { replications: number; given: { points: unknown[]; replicationsPerPoint: number; figures: { metric: string; lo: number; hi: number; noise: number; lowest: { mean: number }; highest: { mean: number } }[] } };
  assert.equal(j.replications, 4);
  assert.equal(j.given.points.length, 2);
  assert.equal(j.given.replicationsPerPoint, 2);
  const f502 = j.given.figures.find((f) => f.metric === '502/5min')!;
  // 800 µs closes far later than 200 µs: far more 502s; the range across the set is wider than the noise.
  assert.ok(f502.highest.mean > 2 * f502.lowest.mean, JSON.stringify(f502));
  assert.ok(f502.hi - f502.lo > 2 * f502.noise);
  for (const f of j.given.figures) assert.ok(f.lo >= 0, `${f.metric}: ${f.lo}`);
  const text = capsim('run', MODEL, ...SMALL, '--replications', '4', '--given', given);
  assert.match(text.stdout, /^over the plausible set of .*infer\.json: 2 of its 2 points, 2 replications each/);
  assert.match(text.stdout, /502\/5min [\d,.]+ \[[\d,.]+, [\d,.]+\] over the 2 plausible points \(the points' means from [\d,.]+ at closeLag=200us to [\d,.]+ at closeLag=800us\); replication noise alone ±/);
});

test('size --given recommends only what meets the SLO at every plausible point; sweep --given gives the range per grid point', () => {
  const out = path.join(dir, 'size');
  const r = capsim('size', MODEL, ...SMALL, '--replications', '2', '--vary', 'fleet.server.connectionClose=false,true', '--slo', '502/5min<=1', '--given', given, '--out', out, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { best: unknown; summary: string; given: { best: { point: Record<string, unknown> } | null; grid: { meetsAt: number; failsAt: unknown[] }[] } };
  assert.deepEqual(j.given.best!.point, { 'fleet.server.connectionClose': true });
  assert.equal(j.given.grid[0]!.meetsAt, 0);
  assert.equal(j.given.grid[0]!.failsAt.length, 2);
  assert.match(j.summary, /connectionClose=true meets every SLO at every one/);
  // Without the warning's fix as a candidate (size adds it otherwise), no grid point meets.
  const none = capsim('size', MODEL, ...SMALL, '--replications', '2', '--vary', 'fleet.server.workers=2,4', '--slo', '502/5min<=1', '--given', given, '--out', out, '--no-fixes');
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /no grid point meets every SLO at every one; the closest, .* fails at closeLag=/);
  const s = capsim('sweep', MODEL, ...SMALL, '--replications', '2', '--vary', 'fleet.server.connectionClose=false,true', '--given', given, '--out', path.join(dir, 'sweep'), '--json');
  assert.equal(s.code, 0, s.stderr);
  const sw = JSON.parse(s.stdout) as { points: { replications: number }[]; given: { grid: { figures: { metric: string; lowest: { mean: number }; highest: { mean: number } }[] }[] } };
  assert.equal(sw.points[0]!.replications, 4);
  const g502 = sw.given.grid[0]!.figures.find((f) => f.metric === '502/5min')!;
  assert.ok(g502.highest.mean > g502.lowest.mean);
});

test('--given of an inference where nothing fits, or of another file, exits 2 naming it', () => {
  const bad = path.join(dir, 'none.json');
  writeFileSync(bad, JSON.stringify(answer([])));
  const r = capsim('run', MODEL, ...SMALL, '--given', bad);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--given .*none\.json: plausible: empty: the inference found that nothing fits \("502s" unmet\)/);
  const other = path.join(dir, 'other.json');
  writeFileSync(other, '{"model": "x"}');
  const o = capsim('sweep', MODEL, ...SMALL, '--vary', 'fleet.server.workers=2,4', '--given', other);
  assert.equal(o.code, 2);
  assert.match(o.stderr, /--given .*other\.json: format: undefined, not "capsim-infer\/1"/);
});
