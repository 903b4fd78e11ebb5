// The parts of capsim infer: the observations file, reading --observed files by content (an
// access log), the unknowns' ranges, the Latin hypercube, and the implausibility of a point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseObservationsText } from '../../src/observe/observations-file.js';
import { readObserved } from '../../src/observe/readers.js';
import { parseUnknown, valueAt } from '../../src/infer/unknowns.js';
import { latinHypercube } from '../../src/infer/design.js';
import { judge } from '../../src/infer/implausibility.js';
import { spreadOut } from '../../src/infer/given.js';
import type { ReplicationResult } from '../../src/experiment/replication.js';
import type { Observation } from '../../src/observe/observation.js';
import { capsim } from '../experiment/cli-helper.js';

test('the observations file: figures in their units, Poisson sd over the window, the default discrepancy, names and lines', () => {
  const obs = parseObservationsText(
    [
      'observations:',
      '  - metric: 502/5min',
      '    value: 13',
      '    window: 1h',
      '    set: { fleet.server.workers: 2 }',
      '  - name: tiny share',
      '    metric: 502-rate',
      '    value: 0.014%',
      '    sd: 0.005%',
      '    discrepancy: 0.002%',
      '  - metric: p99',
      '    atMost: 250ms',
      '    sd: 20ms',
      '  - metric: memory',
      '    value: 30%',
      '    sd: 5%',
      '    discrepancy: 20%',
      '',
    ].join('\n'),
    'obs.yaml',
  );
  assert.equal(obs[0]!.name, '502/5min at workers=2');
  assert.equal(obs[0]!.source, 'obs.yaml:2');
  assert.deepEqual(obs[0]!.set, { 'fleet.server.workers': 2 });
  assert.equal(obs[0]!.window, 3600);
  // 13 per 5 min over an hour: 156 counted; Poisson sd of the per-5-minute mean: sqrt(156) / 12.
  assert.ok(Math.abs(obs[0]!.form.sd - Math.sqrt(156) / 12) < 1e-9);
  assert.ok(Math.abs(obs[0]!.discrepancy - 1.3) < 1e-9);
  assert.deepEqual(obs[1]!.form, { kind: 'value', value: 0.00014, sd: 0.00005 });
  assert.ok(Math.abs(obs[1]!.discrepancy - 0.00002) < 1e-12);
  assert.deepEqual(obs[2]!.form, { kind: 'at-most', bound: 250, sd: 20 });
  assert.equal(obs[3]!.form.kind === 'value' && obs[3]!.form.value, 0.3);
  // A share's discrepancy in % is a share (20% = 0.2), not 20% of the value.
  assert.ok(Math.abs(obs[3]!.discrepancy - 0.2) < 1e-12);
  assert.throws(() => parseObservationsText('observations:\n  - metric: 502/5min\n    value: 3\n    atMost: 4\n', 'x.yaml'), /x\.yaml: observations\.0\.atMost: give exactly one of value, atMost, atLeast/);
  assert.throws(() => parseObservationsText('observations:\n  - metric: 503/h\n    value: 3\n', 'x.yaml'), /x\.yaml: observations\.0\.metric: "503\/h" is not a metric/);
  assert.throws(() => parseObservationsText('observations:\n  - metric: p99\n    value: fast\n    sd: 1ms\n', 'x.yaml'), /x\.yaml: observations\.0\.value: /);
});

test('--observed files are told apart by content: an ALB access log gives 502s per 5 minutes over its whole windows and latency percentiles', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-observed-'));
  const log = path.join(dir, 'alb.log');
  const r = capsim('run', 'models/incident/01-uwsgi-2-workers.yaml', '--set', 'traffic.rate=4k/min', '--set', 'fleet.containers=1', '--duration', '10m', '--warmup', '30s', '--replications', '1', '--access-log', 'alb', log);
  assert.equal(r.code, 0, r.stderr);
  const yaml = path.join(dir, 'o.yaml');
  writeFileSync(yaml, 'observations:\n  - metric: 502/5min\n    value: 3\n');
  const obs = await readObserved([yaml, log]);
  assert.equal(obs[0]!.source, `${yaml}:2`);
  const per5 = obs.find((o) => o.name === '502/5min in the log')!;
  assert.ok(per5, obs.map((o) => o.name).join(', '));
  // The log runs from 0:30 to 10:30 (after the warmup): one whole 5-minute window, 5:00 to 10:00.
  assert.equal(per5.window, 300);
  assert.ok(per5.form.kind === 'value' && per5.form.value > 0 && per5.form.sd > 0);
  assert.ok(obs.some((o) => o.name === 'p99 latency of 2xx in the log' && o.metric.kind === 'latency'));
  assert.deepEqual(per5.set, {});
});

test('unknowns: ranges keep their units, whole-number ranges stay whole, lists are levels', () => {
  const lag = parseUnknown('fleet.server.closeLag=50us..500us');
  assert.equal(lag.kind === 'range' && lag.quantity, 'duration');
  assert.equal(valueAt(lag, 0.5), '275us');
  const w = parseUnknown('fleet.server.workers=2..16');
  assert.equal(valueAt(w, 0.99), 16);
  assert.equal(valueAt(w, 0.3), 6);
  const mem = parseUnknown('fleet.server.memory.perRequest=0KiB..64KiB');
  assert.equal(valueAt(mem, 0.5), 32768);
  const order = parseUnknown('balancer.reuse=lifo,fifo,random');
  assert.deepEqual([0, 0.4, 0.9].map((x) => valueAt(order, x)), ['lifo', 'fifo', 'random']);
  assert.throws(() => parseUnknown('fleet.server.closeLag=500us..50us'), /is empty/);
  assert.throws(() => parseUnknown('fleet.server.closeLag=50parsecs..500parsecs'), /unknown unit "parsecs"/);
  assert.throws(() => parseUnknown('fleet.server.closeLag'), /no "="/);
});

test('the Latin hypercube puts one point in each stratum of every unknown, the same for the same seed', () => {
  const d = latinHypercube(50, 3, 'seed');
  for (let j = 0; j < 3; j++) assert.deepEqual(d.map((x) => Math.floor(x[j]! * 50)).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(latinHypercube(50, 3, 'seed'), d);
  assert.notDeepEqual(latinHypercube(50, 3, 'other'), d);
});

test('implausibility: distance over all the uncertainty; a bound counts only its violating side; counts never look less noisy than Poisson', () => {
  const rep = (n502: number): ReplicationResult => ({ seconds: 300, arrivals: 10000, status: [10000 - n502, 0, n502, 0, 0] }) as unknown as ReplicationResult;
  const obs = (form: Observation['form'], discrepancy = 0): Observation => ({ name: 'o', source: 's', metric: { kind: 'per5min', status: '502' }, form, set: {}, window: 300, discrepancy });
  // 100 and 100: sample variance 0, Poisson floor 100 / 2 = 50.
  const j = judge(obs({ kind: 'value', value: 130, sd: 5 }, 10), [rep(100), rep(100)]);
  assert.equal(j.mean, 100);
  assert.ok(Math.abs(j.implausibility - 30 / Math.sqrt(25 + 100 + 50)) < 1e-9);
  assert.ok(j.low < j.implausibility && j.implausibility < j.high);
  assert.equal(judge(obs({ kind: 'at-most', bound: 150, sd: 5 }), [rep(100), rep(100)]).implausibility, 0);
  assert.ok(judge(obs({ kind: 'at-least', bound: 150, sd: 5 }), [rep(100), rep(100)]).implausibility > 3);
});

test('the plausible points a --given answer uses: all when few, else spread out to the extremes', () => {
  const pts = Array.from({ length: 20 }, (_, i) => ({ k: i }));
  assert.equal(spreadOut(pts, 30).length, 20);
  const s = spreadOut(pts, 4).map((p) => p.k);
  assert.equal(s.length, 4);
  assert.ok(s.includes(0) && s.includes(19), s.join(','));
});
