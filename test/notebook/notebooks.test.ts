// Every shipped notebook executes with --quick: each block runs, and the results are written as
// Markdown (with SVG charts) and as one self-contained HTML file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim, root } from '../experiment/cli-helper.js';

const notebooks = readdirSync(path.join(root, 'notebooks')).filter((f) => f.endsWith('.md'));

test('the shipped notebooks include the incident postmortem, the sizing guide and calibration from logs; the postmortem has a page for each step', () => {
  assert.ok(notebooks.includes('incident-postmortem.md'));
  assert.ok(notebooks.includes('sizing-a-new-service.md'));
  assert.ok(notebooks.includes('calibrate-from-alb-logs.md'));
  const pm = readFileSync(path.join(root, 'notebooks', 'incident-postmortem.md'), 'utf8');
  // Every model of the incident's story (the observations files beside them are not models).
  for (const m of readdirSync(path.join(root, 'models', 'incident')).filter((f) => !f.includes('observations'))) assert.match(pm, new RegExp(`^page models/incident/${m.replace('.', '\\.')}`, 'm'), m);
});

test('every notebook executes with --quick and writes NAME.md and NAME.html', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'capsim-nb-'));
  const r = capsim('notebook', ...notebooks.map((n) => path.join('notebooks', n)), '--quick', '--quiet', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  for (const n of notebooks) {
    const name = n.replace(/\.md$/, '');
    const src = readFileSync(path.join(root, 'notebooks', n), 'utf8');
    const md = readFileSync(path.join(out, `${name}.md`), 'utf8');
    const html = readFileSync(path.join(out, `${name}.html`), 'utf8');
    const blocks = src.match(/^```capsim$/gm)?.length ?? 0;
    assert.equal(md.match(/^```capsim$/gm)?.length, blocks, `${n}: every block kept`);
    const charts = src.match(/^chart /gm)?.length ?? 0;
    const images = [...md.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]!);
    assert.equal(images.length, charts, `${n}: one SVG per chart block`);
    for (const img of images) assert.ok(existsSync(path.join(out, img)), img);
    assert.equal(html.match(/<figure class="chart"/g)?.length, charts, `${n}: charts inlined`);
    assert.doesNotMatch(html, /<script/i, 'the notebook itself has no script (its what-if pages do)');
    // The answers and the warnings first: before the first block and the first chart.
    const runs = src.match(/^```capsim\n(capsim )?(run|sweep|size) /gm)?.length ?? 0;
    if (runs > 0) {
      assert.equal(html.match(/<li><a href="#block-\d+">line \d+<\/a>/g)?.length, runs, `${n}: one answer per run, sweep and size block`);
      assert.ok(html.indexOf('<ul class="answers">') < html.indexOf('<pre class="command"'), `${n}: the answers before the first block`);
      assert.ok(md.indexOf('> **Answers**') < md.indexOf('```capsim'), `${n}: NAME.md opens with the answers too`);
    }
    assert.ok(html.indexOf('<div class="warnings">') < html.indexOf('<pre class="command"'), `${n}: the warnings before the first block`);
    // Each page block links its what-if page, relative to the notebook, and the page is there.
    const pages = src.match(/^page /gm)?.length ?? 0;
    const links = [...md.matchAll(/\[What-if page: [^\]]+\]\(([^)]+\/index\.html)\)/g)].map((m) => m[1]!);
    assert.equal(links.length, pages, `${n}: one link per page block`);
    for (const l of links) {
      assert.ok(readFileSync(path.join(out, l), 'utf8').includes('id="capsim-engine"'), l);
      assert.ok(html.includes(`href="${l}"`), `${n}: ${l} linked in the HTML`);
    }
  }
});

test('a failing block stops the notebook with FILE:LINE and exit 2', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-nb-'));
  const file = path.join(dir, 'bad.md');
  writeFileSync(file, '# Bad\n\nprose\n\n```capsim\nrun models/textbook/mmc.yaml --set fleet.server.workerz=2\n```\n\n```capsim\nchart pareto\n```\n');
  const r = capsim('notebook', file, '--quick', '--quiet', '--out', dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6: .*workerz`));
  const chart = path.join(dir, 'chart.md');
  writeFileSync(chart, '```capsim\nchart pareto\n```\n');
  const c = capsim('notebook', chart, '--quiet', '--out', dir);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /chart\.md:2: chart pareto: needs a `size`/);
});
