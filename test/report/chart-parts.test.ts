// The parts the charts are built from: label placement never overlaps, the worst minute is the
// one with the most failures, the timeline records worker events with their container, every
// chart names its run, sweep axes hold only the values run, the tail axis reads p50 … p99.99.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeLabels, textWidth } from '../../src/report/charts/label-placement.js';
import { worstMinute } from '../../src/report/charts/timeline-zoom.js';
import { originLine, wrap } from '../../src/report/charts/spec.js';
import { runReplication } from '../../src/experiment/replication.js';
import { summarize } from '../../src/experiment/run-experiment.js';
import { loadModelWithProvenance } from '../../src/scenario/load-model.js';
import { latencyCdfChart, renderSvg, runOrigin, timelineChart, timelineZoomChart } from '../../src/report/charts/index.js';
import type { TimelineData } from '../../src/model/timeline.js';
import { chartFromBlock } from '../../src/notebook/chart-block.js';

test('placeLabels: no two placed labels overlap, none covers a point, all stay inside the plot', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let trial = 0; trial < 20; trial++) {
    // Clustered points, some on top of each other: the hard case.
    const wishes = Array.from({ length: 30 }, (_, i) => ({ px: 40 + Math.floor(rnd() * 6) * 60, py: 300 - Math.floor(rnd() * 4) * 40, text: `${i}×${i + 2}`, fontSize: 10, radius: 5 }));
    const placed = placeLabels(wishes, 400, 320);
    const boxes = placed.map((p) => {
      const w = textWidth(wishes[p.index]!.text, 10);
      const x0 = p.align === 'left' ? p.x : p.align === 'right' ? p.x - w : p.x - w / 2;
      return { x0, x1: x0 + w, y0: p.y - 6, y1: p.y + 6 };
    });
    for (const [i, a] of boxes.entries()) {
      assert.ok(a.x0 >= 0 && a.x1 <= 400 && a.y0 >= 0 && a.y1 <= 320, 'inside');
      for (const b of boxes.slice(i + 1)) assert.ok(!(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1), 'labels apart');
      for (const w of wishes) assert.ok(!(a.x0 < w.px + 5 && w.px - 5 < a.x1 && a.y0 < w.py + 5 && w.py - 5 < a.y1), 'clear of every point');
    }
    assert.ok(placed.length >= 5, `most labels find a place (${placed.length})`);
  }
});

const empty = (): TimelineData => ({
  interval: 1,
  t: Array.from({ length: 301 }, (_, i) => 100 + i),
  containers: [{ accepting: new Array(301).fill(2), draining: new Array(301).fill(0), down: new Array(301).fill(0), backlog: new Array(301).fill(0), busy: new Array(301).fill(1) }],
  failures: { t: [], cause: [], status: [], container: [] },
  failuresOmitted: 0,
  events: { t: [], kind: [], container: [] },
  eventsOmitted: 0,
});

test('worstMinute: the minute with the most failures, then the most worker events; none when nothing happened', () => {
  const tl = empty();
  assert.equal(worstMinute(tl), null);
  assert.equal(timelineZoomChart(tl, { source: 'm.yaml', seed: 1, replications: 1 }), null);
  tl.events = { t: [100 + 30, 100 + 200], kind: ['recycle', 'SIGKILL oom'], container: [0, 0] };
  assert.equal(worstMinute(tl), 0, 'events only: the first minute with the most');
  tl.failures = { t: [100 + 130, 100 + 131, 100 + 250], cause: ['close-race', 'close-race', 'worker-killed'], status: ['502', '502', '502'], container: [0, 0, 0] };
  assert.equal(worstMinute(tl), 120, 'two failures in minute 2 beat one in minute 4');
});

test('timeline: a failure with no container (the balancer had no target) gets a strip of its own', async () => {
  const tl = empty();
  tl.failures = { t: [150, 160], cause: ['no-healthy-target', 'close-race'], status: ['503', '502'], container: [-1, 0] };
  const svg = await renderSvg(timelineChart(tl, { source: 'm.yaml', seed: 1, replications: 1 }).spec);
  assert.match(svg, /at the balancer, no container: 503 no-healthy-target 1/);
  assert.match(svg, /container 1: 502 close-race 1/);
});

test('wrap and originLine: subtitles break at clauses, and say file, seed and replications', () => {
  assert.deepEqual(wrap('aaa bbb; ccc ddd; eee', 9), ['aaa bbb;', 'ccc ddd;', 'eee']);
  assert.ok(wrap('x '.repeat(200), 90).every((l) => l.length <= 90));
  assert.equal(originLine({ source: 'models/a.yaml', seed: 42, replications: 1, seconds: 3600 }), 'from models/a.yaml, seed 42, 1 replication of 1h');
  assert.equal(originLine({ source: 'models/a.yaml', seed: 1, replications: '2 to 8 replications per point' }), 'from models/a.yaml, seed 1, 2 to 8 replications per point');
});

test('a replication with recycling and OOM kills: the timeline marks both, per container, and the charts draw them', async () => {
  const file = 'models/incident/01-uwsgi-2-workers.yaml';
  const { model } = loadModelWithProvenance(file, ['simulation.duration=2m', 'simulation.warmup=10s', 'fleet.containers=2', 'fleet.server.workers=8', 'fleet.memory=1GiB']);
  const rep = runReplication(model, 0, { timelineInterval: 1 });
  const tl = rep.timeline!;
  const kinds = new Set(tl.events.kind);
  assert.ok(kinds.has('recycle') && kinds.has('SIGKILL oom'), [...kinds].join(', '));
  assert.equal(tl.events.kind.filter((k) => k === 'SIGKILL oom').length, rep.sigkills[3], 'every OOM kill of the window marked');
  assert.equal(tl.events.kind.filter((k) => k === 'recycle').length, rep.recycles, 'every recycle marked');
  assert.ok(tl.events.container.every((c) => c === 0 || c === 1));
  const origin = runOrigin(summarize(model, [rep]), file);
  const svg = await renderSvg(timelineChart(tl, origin).spec);
  assert.match(svg, /SIGKILL oom/);
  assert.match(svg, /container 2: /);
  assert.match(svg, /from models\/incident\/01-uwsgi-2-workers\.yaml, seed 42, 1 replication of 2m/);
  const zoom = timelineZoomChart(tl, origin)!;
  assert.match(await renderSvg(zoom.spec), /time into the measured window \(s\)/);
  // A notebook draws the same from its last `run … --timeline`.
  const nb = chartFromBlock(['worst-minute'], [{ kind: 'run', result: summarize(model, [rep]), timeline: tl, file }]);
  assert.equal(nb.id, 'timeline-zoom');
  assert.match(JSON.stringify(nb.spec), /from models\/incident\/01-uwsgi-2-workers\.yaml, seed 42/);
});

test('latency tail: a log axis of 1 - p labelled p50 … p99.99, the tail to the right', async () => {
  const file = 'models/textbook/mmc.yaml';
  const { model } = loadModelWithProvenance(file, ['simulation.duration=2m']);
  const r = summarize(model, [runReplication(model, 0), runReplication(model, 1)]);
  const svg = await renderSvg(latencyCdfChart([{ label: 'mmc', result: r }], runOrigin(r, file)).spec);
  assert.match(svg, /X-axis titled 'percentile \(log scale of 1 − p, the tail to the right\)' for a log scale/);
  // Each label at its x position: from left to right, p50 … p99.99.
  const labels = [...svg.matchAll(/translate\(([\d.]+),\d+\)"[^>]*>(p[\d.]+)<\/text>/g)].map((m) => ({ x: Number(m[1]), text: m[2] }));
  assert.deepEqual(labels.sort((a, b) => a.x - b.x).map((l) => l.text), ['p50', 'p90', 'p99', 'p99.9', 'p99.99']);
});
