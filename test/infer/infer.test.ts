// capsim infer end to end, on a small version of the incident model (1 task at 4k/min, runs of
// 2 minutes) where the close lag sets the 502s: an observation made from a known close lag is
// recovered; an observation no point can meet says "nothing fits" and names it; a truth beyond
// the range warns at the edge; the output does not depend on --jobs; bad input exits 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim, root } from '../experiment/cli-helper.js';

const MODEL = 'models/incident/01-uwsgi-2-workers.yaml';
// One node with an eager pool: the close race then follows the close lag closely (the ALB's own
// pool, with its reuse delay, makes it rare at this small rate).
const SMALL = ['--set', 'traffic.rate=4k/min', '--set', 'fleet.containers=1', '--set', 'balancer.pool=eager', '--set', 'balancer.nodes=1', '--duration', '2m', '--warmup', '30s'];
const dir = mkdtempSync(path.join(tmpdir(), 'capsim-infer-'));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

interface Answer {
  unknowns: { key: string; range: string }[];
  observations: { name: string; value: number; sd: number }[];
  plausible: { point: Record<string, string | number>; implausibility: number }[];
  ruledOutBy: Record<string, number>;
  verdict: string;
  edges: { key: string; edge: string }[];
  unmet: { observation: string; implausibility: number } | null;
  tried: unknown[];
}

const us = (v: string | number) => Number(String(v).replace(/us$/, ''));

// The truth: close lag 200 µs. Its 502s per 5 minutes, from 8 replications of the same model.
const truth = capsim('run', MODEL, ...SMALL, '--set', 'fleet.server.closeLag=200us', '--replications', '8', '--json', '--jobs', '2');
assert.equal(truth.code, 0, truth.stderr);
const observed502 = (JSON.parse(truth.stdout) as { per5min: Record<string, { mean: number }> }).per5min['502']!.mean;
const synthetic = file('synthetic.yaml', `observations:\n  - name: 502s of the truth\n    metric: 502/5min\n    value: ${observed502.toFixed(1)}\n`);

test('a close lag known to the test is recovered: inside the plausible set, which is much smaller than the range', () => {
  const r = capsim('infer', MODEL, ...SMALL, '--observed', synthetic, '--vary', 'fleet.server.closeLag=20us..2ms', '--points', '12', '--waves', '3', '--json', '--jobs', '2');
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout) as Answer;
  assert.equal(a.verdict, 'fits');
  assert.deepEqual(a.unknowns.map((u) => [u.key, u.range]), [['fleet.server.closeLag', '20us..2ms']]);
  assert.equal(a.observations[0]!.name, '502s of the truth');
  const lags = a.plausible.map((p) => us(p.point['fleet.server.closeLag']!));
  assert.ok(Math.min(...lags) <= 200 && 200 <= Math.max(...lags), `200us outside the plausible set ${Math.min(...lags)}..${Math.max(...lags)}`);
  assert.ok(Math.max(...lags) - Math.min(...lags) < 0.15 * (2000 - 20), `plausible set ${Math.min(...lags)}..${Math.max(...lags)} us is not much smaller than the range`);
  for (const p of a.plausible) assert.ok(p.implausibility <= 3);
  assert.ok(a.ruledOutBy['502s of the truth']! > 0);
  assert.deepEqual(a.edges, []);
});

test('an observation no point can meet: "nothing fits", naming it and its best implausibility', () => {
  // The truth's 502s read loosely (half of it as sd), so that a point near it meets them and only
  // the impossible p99 is left unmet.
  const obs = file('impossible.yaml', `observations:\n  - name: 502s of the truth\n    metric: 502/5min\n    value: ${observed502.toFixed(1)}\n    sd: ${(observed502 / 2).toFixed(1)}\n  - name: p99 under a millisecond\n    metric: p99\n    atMost: 1ms\n    sd: 0.1ms\n`);
  const r = capsim('infer', MODEL, ...SMALL, '--observed', obs, '--vary', 'fleet.server.closeLag=20us..2ms', '--points', '6', '--waves', '1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^nothing fits: all 6 points tried are ruled out .*no point meets "p99 under a millisecond" \(best implausibility \d/);
  const j = capsim('infer', MODEL, ...SMALL, '--observed', obs, '--vary', 'fleet.server.closeLag=20us..2ms', '--points', '6', '--waves', '1', '--json');
  const a = JSON.parse(j.stdout) as Answer;
  assert.equal(a.verdict, 'nothing fits');
  assert.deepEqual(a.plausible, []);
  assert.equal(a.unmet!.observation, 'p99 under a millisecond');
  assert.ok(a.unmet!.implausibility > 3);
  assert.equal(a.ruledOutBy['p99 under a millisecond'], 6);
});

test('a truth below the range: the plausible set reaches the low edge, and the answer says the truth may lie beyond', () => {
  const r = capsim('infer', MODEL, ...SMALL, '--observed', synthetic, '--vary', 'fleet.server.closeLag=230us..2ms', '--points', '8', '--waves', '2', '--json');
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout) as Answer;
  assert.equal(a.verdict, 'fits');
  assert.deepEqual(a.edges.map((e) => [e.key, e.edge]), [['fleet.server.closeLag', 'low']]);
  const text = capsim('infer', MODEL, ...SMALL, '--observed', synthetic, '--vary', 'fleet.server.closeLag=230us..2ms', '--points', '8', '--waves', '2');
  assert.match(text.stdout, /low edge of fleet\.server\.closeLag \(230us\): the truth may lie beyond/);
});

test('the same model, observations and seed give byte-identical output whatever --jobs (two unknowns, one a list)', () => {
  const args = ['infer', MODEL, ...SMALL, '--observed', synthetic, '--vary', 'fleet.server.closeLag=50us..1ms', '--vary', 'balancer.reuse=lifo,fifo', '--points', '6', '--waves', '2', '--replications', '4', '--json'];
  const one = capsim(...args, '--jobs', '1');
  const two = capsim(...args, '--jobs', '2');
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stdout, two.stdout);
  const a = JSON.parse(one.stdout) as Answer;
  assert.ok(a.tried.length > 6, 'a second wave ran');
});

test('bad input exits 2 naming the file or the option and the field', () => {
  const cases: [string[], RegExp][] = [
    [['--observed', synthetic, '--vary', 'fleet.server.nosuch=1..4'], /--vary.*fleet\.server\.nosuch/],
    [['--observed', synthetic, '--vary', 'fleet.server.closeLag=2ms..20us'], /--vary fleet\.server\.closeLag=2ms\.\.20us: the range "2ms\.\.20us" is empty/],
    [['--observed', synthetic, '--vary', 'fleet.server.workers=4..4'], /is empty/],
    [['--observed', file('empty.yaml', 'observations: []\n'), '--vary', 'fleet.server.workers=1..4'], /empty\.yaml: observations: empty: no usable observation in the file; expected an observations file/],
    [['--observed', file('typo.yaml', 'observations:\n  - metric: 502/5min\n    valu: 3\n'), '--vary', 'fleet.server.workers=1..4'], /typo\.yaml: unknown key observations\.0\.valu/],
    [['--observed', file('nosd.yaml', 'observations:\n  - metric: p99\n    value: 250ms\n'), '--vary', 'fleet.server.workers=1..4'], /nosd\.yaml: observations\.0\.sd: a p99 figure needs its own uncertainty/],
    [['--observed', file('badset.yaml', 'observations:\n  - metric: 502/5min\n    value: 3\n    set: { fleet.server.wrokers: 8 }\n'), '--vary', 'fleet.server.workers=1..4'], /badset\.yaml:\d+: set: .*wrokers/],
    [['--observed', file('notes.txt', 'we saw some 502s\n'), '--vary', 'fleet.server.workers=1..4'], /notes\.txt: not a kind of file capsim reads as observations/],
    [['--observed', path.join(dir, 'missing.yaml'), '--vary', 'fleet.server.workers=1..4'], /missing\.yaml: cannot read it/],
  ];
  for (const [args, message] of cases) {
    const r = capsim('infer', MODEL, ...SMALL, '--points', '2', '--waves', '1', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('Ctrl-C during infer: exit 130, "nothing was written", nothing in the output directory', async () => {
  const out = path.join(dir, 'interrupted');
  const child = spawn(process.execPath, [path.join(root, 'bin/capsim.js'), 'infer', MODEL, '--observed', synthetic, '--vary', 'fleet.server.closeLag=20us..2ms', '--duration', '1h', '--jobs', '2', '--out', out], { cwd: root });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise((r) => setTimeout(r, 2500));
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 130, `exit ${code}: ${stderr}`);
  assert.match(stderr, /\ncapsim: interrupted; nothing was written/);
  assert.deepEqual(existsSync(out) ? readdirSync(out) : [], []);
});
