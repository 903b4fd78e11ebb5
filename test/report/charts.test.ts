// Chart builders: Vega-Lite specs that render headless to SVG (same input, same bytes) and PNG;
// --timeline leaves the run's own output untouched and is itself deterministic.
import { test } from 'node:test';
import { CAUSES } from '../../src/model/outcome.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runReplication } from '../../src/experiment/replication.js';
import { summarize } from '../../src/experiment/run-experiment.js';
import { failuresByCauseChart, latencyPercentilesChart, renderPng, renderSvg, runOrigin, timelineChart } from '../../src/report/charts/index.js';
import { loadModelWithProvenance } from '../../src/scenario/load-model.js';
import { capsim } from '../experiment/cli-helper.js';

test('timeline, failures and latency charts render to SVG deterministically, and to PNG', async () => {
  const { model } = loadModelWithProvenance('models/incident/01-uwsgi-2-workers.yaml', ['simulation.duration=2m', 'simulation.warmup=30s']);
  const rep = runReplication(model, 0, { timelineInterval: 1 });
  const result = summarize(model, [rep, runReplication(model, 1)]);
  const origin = runOrigin(result, 'models/incident/01-uwsgi-2-workers.yaml');
  const tl = timelineChart(rep.timeline!, origin);
  const a = await renderSvg(tl.spec);
  const b = await renderSvg(tl.spec);
  // Clip-path ids count up through the process (so SVGs inlined in one page never share one);
  // apart from them, the same chart is the same bytes.
  const norm = (svg: string) => svg.replace(/clip\d+/g, 'clip');
  assert.ok(norm(a) === norm(b), 'same SVG');
  assert.ok(a !== b, 'ids differ between renders in one process');
  assert.match(a, /^<svg/);
  assert.match(a, /workers accepting/);
  // the failures are marked by their cause's name
  assert.ok(CAUSES.slice(1).some((c) => a.includes(c.name)), 'a failure cause named');
  for (const c of [failuresByCauseChart([{ label: 'x', result }], origin), latencyPercentilesChart([{ label: 'x', result }], origin)]) {
    const svg = await renderSvg(c.spec);
    assert.match(svg, /<path|<rect/, c.id);
  }
  const png = await renderPng(a);
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

test('run --timeline: the run\'s JSON is the same as without it; the timeline is deterministic', () => {
  const args = ['run', 'models/incident/01-uwsgi-2-workers.yaml', '--duration', '2m', '--warmup', '30s', '--replications', '2', '--json'];
  const d1 = mkdtempSync(path.join(tmpdir(), 'capsim-tl-'));
  const d2 = mkdtempSync(path.join(tmpdir(), 'capsim-tl-'));
  const plain = capsim(...args);
  const t1 = capsim(...args, '--timeline', '--out', d1);
  const t2 = capsim(...args, '--timeline', '2s', '--jobs', '1', '--out', d2);
  assert.equal(t1.code, 0, t1.stderr);
  assert.equal(t1.stdout, plain.stdout);
  assert.equal(t2.stdout, plain.stdout);
  const j1 = JSON.parse(readFileSync(path.join(d1, 'timeline.json'), 'utf8'));
  const j2 = JSON.parse(readFileSync(path.join(d2, 'timeline.json'), 'utf8'));
  assert.equal(j1.interval, 1);
  assert.equal(j2.interval, 2);
  assert.deepEqual(j1.failures, j2.failures, 'same replication 0 whatever the sampling');
  const bad = capsim('run', 'models/textbook/mmc.yaml', '--timeline');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /give --out DIR/);
});
