// The what-if page of `capsim page`, in Debian's chromium: it loads from file:// with no network,
// replications stream in, a slider change re-runs and updates the figures, the URL reproduces the
// what-if, and the final JSON is what the page's own "copy as command" prints with
// `capsim run … --json` (to the last bits of the engines' Math: see assertSameFigures). Short simulated durations come from the page's own settings (in the URL).
// Screenshots are kept in out/page-screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunResult } from '../../src/experiment/summarize.js';
import { figure } from '../../src/report/format.js';
import { parseModelText } from '../../src/scenario/parse-model.js';
import { capsim, root } from '../experiment/cli-helper.js';
import { launchChromium } from '../report/browser.js';

const MODEL = 'models/incident/01-uwsgi-2-workers.yaml';
const shots = path.join(root, 'out', 'page-screenshots');
const QUICK = 'simulation.duration=2m&simulation.warmup=30s&simulation.replications=3';

interface Watched {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(browser: Browser, url: string): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // The page itself and the engine's blob are all it may load.
  page.on('request', (r) => {
    if (!r.url().startsWith('file://') && !r.url().startsWith('blob:')) requests.push(r.url());
  });
  // Record every text the 502 figure shows and its state, to see the replications stream in.
  await page.addInitScript(`
    window.__seen = [];
    new MutationObserver(() => {
      const f = document.querySelector('[data-metric="502/5min"]');
      if (!f) return;
      const s = f.getAttribute('data-state') + ' ' + f.querySelector('.text').textContent;
      if (window.__seen[window.__seen.length - 1] !== s) window.__seen.push(s);
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  `);
  await page.goto(url);
  return { page, errors, requests };
}

/** Wait for every replication and the timeline; return the page's JSON and its command. */
async function finished(page: Page): Promise<{ json: string; command: string }> {
  await page.waitForSelector('#answer[data-state=done]', { timeout: 60_000 });
  await page.waitForSelector('figure[data-chart=timeline][data-state=done]', { timeout: 60_000 });
  await page.waitForSelector('figure[data-chart=failures-by-cause][data-state=done]', { timeout: 60_000 });
  return { json: (await page.textContent('#result-json'))!, command: (await page.textContent('#command'))! };
}

/** The page's "copy as command", run in a shell as a user would paste it, with --json. */
function cliJson(command: string): string {
  assert.match(command, /^capsim run /);
  const r = spawnSync('bash', ['-c', `${command.replace(/^capsim /, `${process.execPath} bin/capsim.js `)} --json --jobs 1`], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/**
 * The page's JSON against the CLI's: the same keys, every count and every mean of counts
 * (requests, statuses, causes, SIGKILLs) exactly equal, every other number equal to 1e-12 of
 * itself. Not byte for byte: Chromium's V8 and Node 20's round Math.exp, log, pow, sin… differently
 * in the last bit for a few percent of arguments (measured: ≤ 1.2 ulp; sqrt and + - * / agree),
 * and those bits reach the sampled times and the quantiles (docs/reports.md).
 */
function assertSameFigures(page: unknown, cli: unknown, at = ''): void {
  if (typeof page === 'number' && typeof cli === 'number') {
    const exact = /^(requests\.mean|status\.\d+\.mean|per5min\.\d+\.mean|causes\.\d+\.[a-z-]+\.mean|workers\.\w+\.(mean|[a-z-]+\.mean)|replications|seed|simulatedSeconds)$/.test(at);
    if (exact || page === cli) assert.equal(page, cli, at);
    else assert.ok(Math.abs(page - cli) <= 1e-12 * Math.max(Math.abs(page), Math.abs(cli)), `${at}: ${page} vs ${cli}`);
    return;
  }
  if (page === null || cli === null || typeof page !== 'object' || typeof cli !== 'object') {
    assert.deepEqual(page, cli, at);
    return;
  }
  assert.deepEqual(Object.keys(page), Object.keys(cli), at);
  for (const k of Object.keys(page)) assertSameFigures((page as Record<string, unknown>)[k], (cli as Record<string, unknown>)[k], at ? `${at}.${k}` : k);
}

async function figureStates(page: Page): Promise<Record<string, string>> {
  return (await page.evaluate(`Object.fromEntries([...document.querySelectorAll('[data-metric]')].map((e) => [e.dataset.metric, e.dataset.state]))`)) as Record<string, string>;
}

test('capsim page: offline from file://, streams replications, a slider re-runs, the URL round-trips, the JSON is capsim run --json', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-page-'));
  const made = capsim('page', MODEL, '--vary', 'balancer.reuse=lifo,fifo,random', '--out', dir);
  assert.equal(made.code, 0, made.stderr);
  const file = path.join(dir, 'index.html');
  mkdirSync(shots, { recursive: true });
  const browser = await launchChromium();
  try {
    const a = await open(browser, `file://${file}#${QUICK}`);
    const first = await finished(a.page);
    // Inputs are named by key path and start from the URL, else from the model.
    assert.equal(await a.page.inputValue('[name="simulation.duration"]'), '2m');
    assert.equal(await a.page.inputValue('[name="fleet.server.workers"]'), '2');
    assert.equal(await a.page.inputValue('[name="balancer.reuse"]'), 'lifo');
    for (const name of ['fleet.containers', 'fleet.vcpu', 'fleet.server.maxRequests', 'fleet.server.maxRequestsDelta', 'fleet.server.reloadMercy', 'fleet.db.driver', 'fleet.server.backlog', 'fleet.server.keepAlive', 'fleet.server.connectionClose', 'traffic.rate']) {
      assert.equal(await a.page.locator(`[name="${name}"]`).count(), 1, name);
    }
    // Every figure is there, done; the replications streamed in (running with fewer, then done).
    const states = await figureStates(a.page);
    for (const m of ['answer', '502/5min', '503/5min', '504/5min', '5xx-rate', '502-rate', 'p50', 'p95', 'p99', 'sigkills/h', 'sigkills/h.no-mercy', 'cost']) assert.equal(states[m], 'done', m);
    const seen = (await a.page.evaluate('window.__seen')) as string[];
    assert.ok(seen.some((s) => s.startsWith('running ')) && seen[seen.length - 1]!.startsWith('done '), seen.join(' | '));
    assert.match((await a.page.textContent('#answer'))!, /^Dominant cause: 502 close-race/);
    assert.match((await a.page.textContent('[data-metric=cost] .text'))!, /^\$[\d.]+\/h$/);
    // Same model, same seed: the CLI's figures, and the same texts on the page as in its table.
    assert.equal(first.command, `capsim run ${MODEL} --duration 2m --warmup 30s --replications 3`);
    const cli = JSON.parse(cliJson(first.command)) as RunResult;
    assertSameFigures(JSON.parse(first.json), cli);
    for (const [metric, f] of [['502/5min', cli.per5min['502']!], ['504/5min', cli.per5min['504']!], ['p50', cli.latencyMs.p50], ['p99', cli.latencyMs.p99]] as const) {
      assert.equal(await a.page.textContent(`[data-metric="${metric}"] .text`), figure(f), metric);
    }
    await a.page.screenshot({ path: path.join(shots, 'page-initial.png'), fullPage: true });

    // Move the workers slider (as a drag does: value, then an input event) and close connections.
    await a.page.evaluate(`(() => {
      const s = document.querySelector('[name="fleet.server.workers"]');
      s.value = '6';
      s.dispatchEvent(new Event('input', { bubbles: true }));
    })()`);
    await a.page.selectOption('[name="fleet.server.connectionClose"]', 'true');
    await a.page.waitForFunction(`document.querySelector('#command').textContent.includes('connectionClose')`);
    const second = await finished(a.page);
    assert.notEqual(second.json, first.json);
    assert.equal(second.command, `capsim run ${MODEL} --set fleet.server.workers=6 --set fleet.server.connectionClose=true --duration 2m --warmup 30s --replications 3`);
    assertSameFigures(JSON.parse(second.json), JSON.parse(cliJson(second.command)));
    assert.equal(JSON.parse(second.json).status['502'].mean, 0, 'Connection: close removes the close race');
    assert.match((await a.page.textContent('#answer'))!, /^No failed requests/);
    const url = a.page.url();
    assert.ok(url.endsWith(`#fleet.server.workers=6&fleet.server.connectionClose=true&${QUICK}`), url);
    // "Download model" gives the YAML of what the page shows.
    const href = (await a.page.getAttribute('#download-model', 'href'))!;
    const yaml = decodeURIComponent(href.replace(/^data:text\/yaml;charset=utf-8,/, ''));
    const sets = ['fleet.server.workers=6', 'fleet.server.connectionClose=true', 'simulation.duration=2m', 'simulation.warmup=30s', 'simulation.replications=3'];
    assert.deepEqual(parseModelText(yaml, MODEL), parseModelText(readFileSync(path.join(root, MODEL), 'utf8'), MODEL, sets));
    assert.equal(await a.page.getAttribute('#download-model', 'download'), 'incident-01-uwsgi-2-workers.yaml');
    await a.page.click('#copy-command');
    await a.page.waitForFunction(`document.querySelector('#copy-status').textContent !== ''`, undefined, { timeout: 5000 });
    assert.match((await a.page.textContent('#copy-status'))!, /copied|selected/);
    await a.page.screenshot({ path: path.join(shots, 'page-after-change.png'), fullPage: true });

    // The link reproduces the what-if: the same inputs and the same figures.
    const b = await open(browser, url);
    const third = await finished(b.page);
    assert.equal(await b.page.inputValue('[name="fleet.server.workers"]'), '6');
    assert.equal(await b.page.inputValue('[name="fleet.server.connectionClose"]'), 'true');
    assert.equal(third.json, second.json);
    assert.equal(b.page.url(), url);
    await b.page.screenshot({ path: path.join(shots, 'page-from-link.png'), fullPage: false });
    // A hash typed into the address bar: the inputs follow it (the rest back to the model's), and
    // what no input takes is named.
    await b.page.evaluate(`location.hash = '#fleet.containers=3&fleet.server.workerz=9&${QUICK}'`);
    await b.page.waitForFunction(`document.querySelector('#command').textContent.includes('fleet.containers=3')`);
    await finished(b.page);
    assert.equal(await b.page.inputValue('[name="fleet.server.workers"]'), '2');
    assert.equal(await b.page.inputValue('[name="fleet.containers"]'), '3');
    assert.match((await b.page.textContent('#hash-note'))!, /fleet.server.workerz: no such input/);

    for (const w of [a, b]) {
      assert.deepEqual(w.errors, [], 'no console errors');
      assert.deepEqual(w.requests, [], 'nothing fetched');
    }
  } finally {
    await browser.close();
  }
});

test('capsim page: bad input is one line and exit 2, and nothing is written', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-page-'));
  const noOut = capsim('page', MODEL);
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /^capsim: capsim page writes DIR\/index.html: give --out DIR\n$/);
  const badVary = capsim('page', MODEL, '--vary', 'fleet.server.mode=sync,gevent', '--out', dir);
  assert.equal(badVary.code, 2);
  assert.match(badVary.stderr, /^capsim: models\/incident\/01-uwsgi-2-workers.yaml:\d+: fleet.server.concurrency: got 100 .*\n$/);
  const badList = capsim('page', MODEL, '--vary', 'fleet.server.workers=', '--out', dir);
  assert.equal(badList.code, 2);
  assert.match(badList.stderr, /--vary fleet.server.workers=: empty list/);
  assert.equal(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout, '');
});
