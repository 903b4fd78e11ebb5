// Issue 19: no negative bound is drawn. A sweep and a size with an overloaded point (its
// replications' p99s differ by seconds: a t interval would reach below 0), opened in headless
// Chromium: no axis of any chart reaches below 0, no tick label is negative, and every interval
// in the JSON the charts are drawn from is within what its quantity can be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim, root } from '../experiment/cli-helper.js';
import { launchChromium, VIEWPORT } from './browser.js';

const shots = path.join(root, 'out', 'report-screenshots');
const NEGATIVE = /(^|[\s(,])[-−]\d/;

/** Every axis's aria-label and every visible tick label of every chart in the page. */
async function axesOf(file: string, name: string): Promise<{ axes: string[]; ticks: string[] }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, `${name}-bounds.png`), fullPage: true });
    return (await page.evaluate(`(() => ({
      axes: [...document.querySelectorAll('figure.chart svg g[aria-roledescription="axis"]')].map((g) => g.getAttribute('aria-label') || ''),
      ticks: [...document.querySelectorAll('figure.chart svg .role-axis-label text')].map((t) => (t.textContent || '').trim()),
    }))()`)) as { axes: string[]; ticks: string[] };
  } finally {
    await browser.close();
  }
}

function checkFigures(v: unknown, where: string): number {
  if (v === null || typeof v !== 'object') return 0;
  const f = v as { mean?: unknown; ci95?: unknown };
  if (Array.isArray(f.ci95) && 'mean' in f) {
    const [lo, hi] = f.ci95 as (number | null)[];
    if (lo !== null && lo !== undefined) assert.ok(lo >= 0, `${where}: lower bound ${lo}`);
    if (/utilization\.(cpu|workers|process|processBusiest)$|Rate|rate502|\.util$|util<=|util-max/.test(where) && hi !== null && hi !== undefined) assert.ok(hi <= 1, `${where}: upper bound ${hi}`);
    return 1;
  }
  return Object.entries(v).reduce((n, [k, x]) => n + checkFigures(x, `${where}.${k}`), 0);
}

test('no negative bound drawn: sweep and size reports of an overloaded fleet', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-bounds-'));
  const grid = ['--vary', 'fleet.containers=1,2,3', '--duration', '3m', '--warmup', '30s', '--replications', '3', '--jobs', '2', '--quiet'];
  const sweep = capsim('sweep', 'models/incident/05-gunicorn.yaml', ...grid, '--out', path.join(dir, 'sweep'));
  assert.equal(sweep.code, 0, sweep.stderr);
  const size = capsim('size', 'models/incident/05-gunicorn.yaml', ...grid, '--slo', '502/5min<=1', '--no-margin', '--no-fixes', '--out', path.join(dir, 'size'));
  assert.equal(size.code, 0, size.stderr);
  const sj = JSON.parse(readFileSync(path.join(dir, 'sweep', 'sweep.json'), 'utf8'));
  const one = sj.points.find((p: { containers: number }) => p.containers === 1);
  assert.ok(one.result.failures.rate.mean > 0.1, 'the single container is overloaded');
  assert.ok(checkFigures(sj, 'sweep') > 100);
  assert.ok(checkFigures(JSON.parse(readFileSync(path.join(dir, 'size', 'size.json'), 'utf8')), 'size') > 10);
  for (const kind of ['sweep', 'size']) {
    const { axes, ticks } = await axesOf(path.join(dir, kind, 'report.html'), `${kind}-overloaded`);
    assert.ok(axes.length > 0 && ticks.length > 0, `${kind}: axes measured`);
    for (const a of axes) assert.doesNotMatch(a, NEGATIVE, `${kind}: an axis reaches below 0: ${a}`);
    for (const t of ticks) assert.doesNotMatch(t, NEGATIVE, `${kind}: a negative tick label: ${t}`);
    // The charts written beside the report, the same.
    for (const f of readdirSync(path.join(dir, kind, 'charts')).filter((x) => x.endsWith('.svg'))) {
      for (const m of readFileSync(path.join(dir, kind, 'charts', f), 'utf8').matchAll(/aria-label="([^"]*axis[^"]*)"/gi)) assert.doesNotMatch(m[1]!, NEGATIVE, `${f}: ${m[1]}`);
    }
  }
});
