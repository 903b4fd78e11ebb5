// `capsim run --precision`: replications until the interval is narrow enough.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMALL_MODEL } from '../experiment/fixtures.js';
import { capsim } from '../experiment/cli-helper.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'capsim-precision-'));
const model = path.join(tmp, 'small.yaml');
writeFileSync(model, SMALL_MODEL);

test('--precision stops at the first count that reaches it, and says how many it took', () => {
  const r = capsim('run', model, '--precision', '4%', '--metric', 'p99', '--json', '--jobs', '2');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const n = j.precision.replications;
  assert.equal(j.replications, n);
  assert.equal(j.precision.reached, true);
  assert.ok(n > 5, `needs more than the minimum of 5 (took ${n})`);
  const rel = (f: { mean: number; ci95: [number, number] }) => Math.max(f.mean - f.ci95[0], f.ci95[1] - f.mean) / f.mean;
  assert.ok(rel(j.latencyMs.p99) <= 0.04);
  // One replication fewer would not have done.
  const fewer = JSON.parse(capsim('run', model, '--replications', String(n - 1), '--json').stdout);
  assert.ok(rel(fewer.latencyMs.p99) > 0.04, `${n - 1} replications already reach it`);
  // The same with one thread, and the table says it in words.
  assert.equal(capsim('run', model, '--precision', '4%', '--metric', 'p99', '--json', '--jobs', '1').stdout, r.stdout);
  const t = capsim('run', model, '--precision', '4%', '--metric', 'p99', '--out', tmp);
  assert.match(t.stdout, new RegExp(`^precision 4%: p99 = [\\d,.]+ \\[[\\d,.]+, [\\d,.]+\\] ms, half-width [\\d.]+% of the mean: reached after ${n} replications`));
  assert.match(t.stdout, /analytic cross-check \(M\/M\/c\/K per container, c = 4, K = 8/);
  assert.equal(JSON.parse(readFileSync(path.join(tmp, 'run.json'), 'utf8')).precision.replications, n);
});

test('a metric that stays 0 runs to --max-replications and says why', () => {
  const r = capsim('run', model, '--precision', '10%', '--metric', '503/5min', '--max-replications', '6', '--duration', '30s');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^precision 10%: not reached: 503\/5min was 0 in all 6 replications \(95% upper bound [\d.]+ per 5 min\); a relative precision needs a mean above 0/);
  const abs = JSON.parse(capsim('run', model, '--precision', '2', '--metric', '503/5min', '--duration', '30s', '--json').stdout);
  assert.equal(abs.precision.reached, true);
});

test('bad precision options exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['--precision', 'tight'], /--precision tight: expected a relative half-width such as 10%/],
    [['--precision', '10%', '--metric', 'p98'], /--metric p98: unknown metric/],
    [['--metric', 'p99'], /--metric goes with --precision/],
    [['--precision', '10%', '--replications', '8', '--max-replications', '4'], /--max-replications 4: expected at least the 8/],
    [['--jobs', 'many'], /--jobs many: expected a whole number/],
  ];
  for (const [args, re] of cases) {
    const r = capsim('run', model, ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});
