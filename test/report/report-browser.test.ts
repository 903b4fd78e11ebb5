// report.html from `capsim run`, `sweep` and `size`, opened in headless Chromium: every chart
// rendered (an <svg> with drawn content, of a visible size), no console errors, nothing fetched.
// Screenshots are kept in out/report-screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim, root } from '../experiment/cli-helper.js';
import { checkPage } from './browser.js';

const shots = path.join(root, 'out', 'report-screenshots');
const quick = ['--duration', '3m', '--warmup', '30s', '--replications', '2', '--jobs', '2'];

async function check(report: string, name: string, expected: string[]) {
  const html = readFileSync(report, 'utf8');
  assert.doesNotMatch(html, /<script/i, 'no scripts');
  assert.doesNotMatch(html, /(src|href)="https?:/i, 'nothing fetched from the network');
  mkdirSync(shots, { recursive: true });
  const r = await checkPage(report, path.join(shots, `${name}.png`));
  assert.deepEqual(r.errors, [], 'no console errors');
  assert.deepEqual(r.requests, [], 'no requests');
  assert.deepEqual(
    r.charts.map((c) => c.id),
    expected,
  );
  for (const c of r.charts) {
    assert.ok(c.elements > 10, `chart ${c.id} has content (${c.elements} elements)`);
    assert.ok(c.width > 100 && c.height > 100, `chart ${c.id} is visible (${c.width}×${c.height})`);
  }
}

test('capsim run --timeline --out: report.html with the timeline, failures by cause, the latency distribution and percentiles', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-report-'));
  const r = capsim('run', 'models/incident/01-uwsgi-2-workers.yaml', ...quick, '--timeline', '--out', dir);
  assert.equal(r.code, 0, r.stderr);
  const tl = JSON.parse(readFileSync(path.join(dir, 'timeline.json'), 'utf8'));
  assert.equal(tl.interval, 1);
  assert.equal(tl.t.length, 181);
  assert.ok(tl.failures.t.length > 0, 'the incident model fails in 3 minutes');
  await check(path.join(dir, 'report.html'), 'run', ['timeline', 'failures-by-cause', 'latency-cdf', 'latency-percentiles']);
});

test('capsim sweep --out: report.html with 502 and p99 lines and a heatmap', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-report-'));
  const r = capsim('sweep', 'models/textbook/mmc.yaml', '--vary', 'fleet.server.workers=4,5,6', '--vary', 'fleet.containers=1,2', ...quick, '--out', dir, '--quiet');
  assert.equal(r.code, 0, r.stderr);
  await check(path.join(dir, 'report.html'), 'sweep', ['sweep-502-5min', 'sweep-p99', 'heatmap-502-5min']);
});

test('capsim size --out: report.html with the Pareto chart and the answer', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-report-'));
  const r = capsim('size', 'models/textbook/mmc.yaml', '--vary', 'fleet.server.workers=4,6', '--vary', 'fleet.containers=1,2', '--slo', '502/5min<=1', ...quick, '--max-replications', '2', '--out', dir, '--quiet');
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  const size = JSON.parse(readFileSync(path.join(dir, 'size.json'), 'utf8'));
  assert.ok(html.includes(size.summary.replace(/&/g, '&amp;').slice(0, 40)), 'the answer in words');
  await check(path.join(dir, 'report.html'), 'size', ['size-pareto', 'sweep-502-5min', 'sweep-p99', 'heatmap-502-5min']);
});
