// report.html from `capsim run`, `sweep` and `size`, opened in headless Chromium and measured as
// a reader sees it: the answer and the model's warnings before the first chart; every chart
// drawn at its own size (not shrunk), titled, with the run it came from (model file, seed,
// replications) and a unit on every continuous axis and gradient; no two texts overlapping,
// none cut by the edge of the chart or the window, none cut short with "…"; no interval or
// axis below 0; a log axis wherever the plotted values span more than two decades; the figures
// as HTML tables; nothing wider than the window (commands wrap); no console error, no request.
// Screenshots of each page and each chart are kept in out/report-screenshots/ for a reviewer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim, root } from '../experiment/cli-helper.js';
import { checkPage } from './browser.js';

const shots = path.join(root, 'out', 'report-screenshots');
const LINEAR_BY_DESIGN = new Set(['timeline', 'timeline-zoom', 'failures-by-cause']);
const quick = ['--duration', '3m', '--warmup', '30s', '--replications', '2', '--jobs', '2'];

async function check(report: string, name: string, expected: string[], source: string) {
  const html = readFileSync(report, 'utf8');
  assert.doesNotMatch(html, /<script/i, 'no scripts');
  assert.doesNotMatch(html, /(src|href)="https?:/i, 'nothing fetched from the network');
  mkdirSync(shots, { recursive: true });
  const r = await checkPage(report, shots, name);
  assert.deepEqual(r.errors, [], 'no console errors');
  assert.deepEqual(r.requests, [], 'no requests');
  assert.equal(r.overflowX, false, 'nothing wider than the window: commands and tables wrap or scroll in their box');
  assert.ok(r.figureTables >= 1, 'the figures are HTML tables');
  assert.equal(r.tablesCut, 0, 'every table of figures fits the page (no column behind a scroll bar)');
  assert.equal(r.presCut, 0, 'every <pre> fits the page or wraps');
  assert.ok(r.answerFirst, 'the answer (p.answer) comes before the first chart');
  assert.ok(r.warningsFirst, 'the warnings box (div.warnings), visible, comes before the first chart');
  assert.deepEqual(
    r.charts.map((c) => c.id),
    expected,
  );
  for (const c of r.charts) {
    assert.ok(c.elements > 10, `chart ${c.id} has content (${c.elements} elements)`);
    assert.ok(c.width > 100 && c.height > 100, `chart ${c.id} is visible (${c.width}×${c.height})`);
    assert.ok(c.width >= c.naturalWidth - 1, `chart ${c.id} fits the page at its own size (${c.naturalWidth} px wide, shown ${c.width})`);
    assert.ok(c.title.length > 10, `chart ${c.id} has a title`);
    assert.ok(c.subtitle.some((l) => l.endsWith('?')), `chart ${c.id} says which question it answers: ${c.subtitle.join(' / ')}`);
    const from = c.subtitle.join(' ');
    assert.ok(from.includes(source) && /seed \d+/.test(from) && /\d+ replications?/.test(from), `chart ${c.id} names its run: ${from}`);
    assert.deepEqual(c.overlaps, [], `chart ${c.id}: no text overlaps another`);
    assert.deepEqual(c.cut, [], `chart ${c.id}: no text cut by the chart's or the window's edge`);
    assert.ok(c.scales.length > 0, `chart ${c.id} has a continuous axis or scale`);
    for (const s of c.scales) assert.ok(s.unit, `chart ${c.id}: "${s.title}" (${s.label}) names its unit`);
    assert.deepEqual(c.belowZero, [], `chart ${c.id}: no latency, count or rate drawn below 0`);
    assert.deepEqual(c.truncated, [], `chart ${c.id}: no text or legend label cut short`);
    // The timelines stack counts as areas (read as sums, not ranked) and the bars of failures by
    // cause have their value written beside them: neither is a log axis's business.
    if (!LINEAR_BY_DESIGN.has(c.id)) assert.deepEqual(c.flat, [], `chart ${c.id}: a linear scale over more than two decades (a log axis is needed)`);
  }
  return r;
}

test('capsim run --timeline --out: report.html with the answer, failures by cause and the latency tail, then the timeline and the worst minute', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-report-'));
  const r = capsim('run', 'models/incident/01-uwsgi-2-workers.yaml', ...quick, '--timeline', '--out', dir);
  assert.equal(r.code, 0, r.stderr);
  const tl = JSON.parse(readFileSync(path.join(dir, 'timeline.json'), 'utf8'));
  assert.equal(tl.interval, 1);
  assert.equal(tl.t.length, 181);
  assert.ok(tl.failures.t.length > 0, 'the incident model fails in 3 minutes');
  assert.ok(tl.events.kind.includes('recycle'), 'and recycles its workers (max-requests)');
  const page = await check(path.join(dir, 'report.html'), 'run', ['failures-by-cause', 'latency-cdf', 'timeline', 'timeline-zoom'], 'models/incident/01-uwsgi-2-workers.yaml');
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  assert.ok(html.indexOf('<h2>Figures</h2>') < html.indexOf('id="chart-timeline"'), 'the timeline strips come after the answer and the figures');
  assert.match(html, /<pre class="command">/, 'the command in a wrapping box');
  assert.match(html, /<th scope="col">per 5 min<\/th>/, 'the status table as HTML');
  const zoom = page.charts.find((c) => c.id === 'timeline-zoom')!;
  assert.match(zoom.title, /worst minute, \d+ s to \d+ s/);
});

test('capsim sweep --out: report.html with 502 and p99 on an ordinal axis of the values run, and a heatmap', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-report-'));
  const r = capsim('sweep', 'models/textbook/mmc.yaml', '--vary', 'fleet.server.workers=4,5,6', '--vary', 'fleet.containers=1,2', ...quick, '--out', dir, '--quiet');
  assert.equal(r.code, 0, r.stderr);
  await check(path.join(dir, 'report.html'), 'sweep', ['sweep-failures', 'sweep-p99', 'heatmap-5xx-5min'], 'models/textbook/mmc.yaml');
  // The x axis holds the values run, no others (no 4.5 workers).
  const svg = readFileSync(path.join(dir, 'charts', 'sweep-failures.svg'), 'utf8');
  assert.match(svg, /X-axis titled 'fleet.server.workers \(values run\)' for a discrete scale with 3 values: 4, 5, 6/);
});

test('capsim size --out: report.html with the Pareto chart (labels clear of each other) and the answer', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-report-'));
  const r = capsim('size', 'models/textbook/mmc.yaml', '--vary', 'fleet.server.workers=4,5,6', '--vary', 'fleet.containers=1,2,3', '--slo', '502/5min<=1', ...quick, '--max-replications', '2', '--out', dir, '--quiet');
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  const size = JSON.parse(readFileSync(path.join(dir, 'size.json'), 'utf8'));
  assert.ok(html.includes(size.summary.replace(/&/g, '&amp;').slice(0, 40)), 'the answer in words');
  await check(path.join(dir, 'report.html'), 'size', ['size-pareto', 'sweep-failures', 'sweep-p99', 'heatmap-5xx-5min'], 'models/textbook/mmc.yaml');
});

test('capsim sweep with three varied keys, one boolean: a panel per value of the third, full legends, the fix-naming warning, overloaded points marked', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-report-'));
  const model = 'models/incident/01-uwsgi-2-workers.yaml';
  const r = capsim('sweep', model, '--vary', 'fleet.containers=1..3', '--vary', 'fleet.server.workers=2,4', '--vary', 'fleet.server.connectionClose=false,true', ...quick, '--out', dir, '--quiet');
  assert.equal(r.code, 0, r.stderr);
  await check(path.join(dir, 'report.html'), 'sweep3', ['sweep-failures', 'sweep-p99', 'heatmap-5xx-5min'], model);
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  assert.match(html, /<div class="warnings">[^]*set fleet\.server\.connectionClose/, 'the warning that names the fix is in the report');
  for (const id of ['sweep-failures', 'sweep-p99', 'heatmap-5xx-5min']) {
    const svg = readFileSync(path.join(dir, 'charts', `${id}.svg`), 'utf8');
    // Panels, never an average over connectionClose.
    assert.match(svg, /fleet\.server\.connectionClose=true/, `${id}: a panel per value of the boolean key`);
    assert.doesNotMatch(svg, /average/, `${id}: no average over a varied key`);
  }
  // One container fails half its requests as 504: marked, not the lightest "best" point.
  assert.match(readFileSync(path.join(dir, 'charts', 'sweep-p99.svg'), 'utf8'), /overloaded: more than 1% of requests fail/);
  assert.match(readFileSync(path.join(dir, 'charts', 'heatmap-5xx-5min.svg'), 'utf8'), /fail \(504\)/);
});

test('capsim size on the gunicorn incident: the Pareto chart on every failure, the overloaded fleet drawn as such, the answer first', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-report-'));
  const model = 'models/incident/05-gunicorn.yaml';
  const r = capsim('size', model, '--vary', 'fleet.containers=1..4', '--slo', '502/5min<=1', ...quick, '--max-replications', '2', '--out', dir, '--quiet');
  assert.equal(r.code, 0, r.stderr);
  await check(path.join(dir, 'report.html'), 'size-gunicorn', ['size-pareto', 'sweep-failures', 'sweep-p99'], model);
  const svg = readFileSync(path.join(dir, 'charts', 'size-pareto.svg'), 'utf8');
  assert.match(svg, /5xx \(% of requests\)/, 'the Pareto chart plots every failure, not 502s alone');
  assert.match(svg, /1×2: \d+% fail \(504\)/, 'the one-container fleet, failing by 504, is labelled as overloaded');
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  assert.ok(html.indexOf('<p class="answer">') < html.indexOf('<figure class="chart"'), 'the verdict before the first chart');
});
