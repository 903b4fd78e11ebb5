// Open an HTML file in headless Chromium (Debian's `chromium`), driven by playwright-core, and
// measure what a reader would see: per chart, its title and subtitle, every pair of text boxes
// that overlap, every text cut by the edge of its SVG or the window, every continuous axis (or
// colour gradient) whose title names no unit; per page, console errors, requests and whether
// anything is wider than the window. Screenshots of the page and of each chart are saved.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['CAPSIM_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const VIEWPORT = { width: 1100, height: 900 };

export interface ChartCheck {
  id: string;
  /** SVG elements drawn inside the chart. */
  elements: number;
  width: number;
  height: number;
  /** The width the SVG asks for (vega's width attribute): more than `width` means it was shrunk. */
  naturalWidth: number;
  title: string;
  subtitle: string[];
  /** "text A" overlaps "text B" (their boxes intersect by more than a pixel each way). */
  overlaps: string[];
  /** Texts whose box leaves the SVG or the window. */
  cut: string[];
  /** Titles of continuous axes and gradient legends, and whether each names a unit "(…)". */
  scales: { label: string; title: string; unit: boolean }[];
  /** Continuous axes or colour scales drawn below 0, or with a mark (a mean or a bound) below 0: "TITLE: -4754". */
  belowZero: string[];
  /** Linear axes and colour scales whose plotted values above 0 span more than two decades: "TITLE: 20 to 59745". */
  flat: string[];
  /** Texts vega cut short with "…", and legend labels whose full value the legend does not hold. */
  truncated: string[];
}

export interface PageCheck {
  charts: ChartCheck[];
  /** Console errors and page errors. */
  errors: string[];
  /** Requests the page made for anything but itself (a self-contained page makes none). */
  requests: string[];
  /** The page scrolls sideways (something, a command or a table, does not fit). */
  overflowX: boolean;
  /** HTML tables of figures. */
  figureTables: number;
  /** Tables of figures wider than their box (a column hidden behind a scroll bar). */
  tablesCut: number;
  /** The answer (p.answer; a notebook's ul.answers) is on the page, above the first chart. */
  answerFirst: boolean;
  /** The warnings box (div.warnings) is on the page, visible, above the first chart. */
  warningsFirst: boolean;
  /** <pre> blocks wider than their box. */
  presCut: number;
}

// Runs in the page: plain JavaScript (a string, so that tsc leaves it alone).
const MEASURE = `(() => {
  const vw = document.documentElement.clientWidth;
  const label = (t) => JSON.stringify((t.textContent || '').trim().slice(0, 60));
  return [...document.querySelectorAll('figure.chart')].map((f) => {
    const svg = f.querySelector('svg');
    const sb = svg.getBoundingClientRect();
    // Labels vega thinned out stay in the SVG at opacity 0: not seen, not counted.
    const seen = (t) => { for (let e = t; e && e !== svg; e = e.parentElement) if (e.getAttribute('opacity') === '0' || getComputedStyle(e).opacity === '0') return false; return true; };
    const texts = [...svg.querySelectorAll('text')].filter((t) => (t.textContent || '').trim() !== '' && seen(t)).map((t) => ({ t, b: t.getBoundingClientRect() }))
      .filter(({ b }) => b.width > 0 && b.height > 0);
    const overlaps = [];
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].b, b = texts[j].b;
      const ix = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const iy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (ix > 1 && iy > 1) overlaps.push(label(texts[i].t) + ' overlaps ' + label(texts[j].t));
    }
    const cut = texts.filter(({ b }) => b.left < sb.left - 0.5 || b.right > sb.right + 0.5 || b.top < sb.top - 0.5 || b.bottom > sb.bottom + 0.5 || b.left < 0 || b.right > vw)
      .map(({ t }) => label(t));
    // An axis drawn without labels (the upper panels of a timeline) reads off the one below it.
    const scales = [...svg.querySelectorAll('g[aria-roledescription="axis"], g[aria-roledescription="legend"]')]
      .filter((g) => g.getAttribute('aria-roledescription') === 'legend' || g.querySelector('.role-axis-label text'))
      .map((g) => g.getAttribute('aria-label') || '')
      .filter((l) => /for a (linear|log|pow|sqrt|symlog|time|utc) scale|^Gradient legend|^Size legend/.test(l))
      .map((l) => { const m = /titled '([^']*)'/.exec(l); const title = m ? m[1] : ''; return { label: l.slice(0, 80), title, unit: /\\(.+\\)/.test(title) }; });
    // Each continuous scale's values, read from the marks' descriptions ("TITLE: 1,234; hi: 1234.5"),
    // which vega writes from the data: a bound drawn below 0, or a linear scale over more than
    // two decades, shows there whatever the pixels look like.
    const num = (t) => Number(String(t).replace(/,/g, ''));
    const marks = [...svg.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')).filter((l) => !/^(X-axis|Y-axis|Title text|Subtitle text|Symbol legend|Gradient legend|Size legend)/.test(l));
    const axes = [...svg.querySelectorAll('g[aria-roledescription="axis"], g[aria-roledescription="legend"]')].map((g) => g.getAttribute('aria-label') || '')
      .filter((l) => /for a (linear|log|symlog|pow|sqrt) scale|^Gradient legend/.test(l));
    const belowZero = [], flat = [];
    for (const a of [...new Set(axes)]) {
      const t = /titled '([^']*)'/.exec(a);
      if (!t) continue;
      const title = t[1];
      const from = /values from (-?[0-9,.e+-]+) to/.exec(a);
      if (from && num(from[1]) < 0) belowZero.push(title + ': axis from ' + from[1]);
      // "A: 1; B: 2; hi: 3": the field named by the axis title, and the rule's other end (hi).
      const values = marks.flatMap((l) => {
        const kv = new Map(l.split('; ').map((p) => { const i = p.indexOf(': '); return [p.slice(0, i), p.slice(i + 2)]; }));
        return kv.has(title) ? [num(kv.get(title)), ...(kv.has('hi') && a.startsWith('Y-axis') ? [num(kv.get('hi'))] : [])] : [];
      }).filter((v) => Number.isFinite(v));
      const neg = values.filter((v) => v < 0);
      if (neg.length) belowZero.push(title + ': ' + neg[0]);
      const linear = /for a linear scale/.test(a) || (/^Gradient legend/.test(a) && !/log scale/.test(title));
      const pos = values.filter((v) => v > 0);
      if (linear && pos.length > 1 && Math.max(...pos) / Math.min(...pos) > 100) flat.push(title + ': ' + Math.min(...pos) + ' to ' + Math.max(...pos));
    }
    const truncated = texts.filter(({ t }) => /…$/.test((t.textContent || '').trim())).map(({ t }) => label(t));
    for (const g of svg.querySelectorAll('g[aria-roledescription="legend"]')) {
      const aria = g.getAttribute('aria-label') || '';
      if (!/^Symbol legend/.test(aria)) continue;
      for (const t of g.querySelectorAll('.role-legend-label text')) if (!aria.includes((t.textContent || '').trim())) truncated.push(label(t) + ' (not in ' + JSON.stringify(aria.slice(0, 80)) + ')');
    }
    // The chart's own title (concatenated views have titles of their own, deeper down).
    const top = svg.querySelector('.root > g > g > .role-title');
    const title = top && top.querySelector('.role-title-text text');
    const subtitle = [...(top ? top.querySelectorAll('.role-title-subtitle text') : [])].flatMap((t) => [...t.querySelectorAll('tspan')].length ? [...t.querySelectorAll('tspan')].map((s) => s.textContent) : [t.textContent]);
    return {
      id: f.dataset.chart,
      elements: svg.querySelectorAll('path, rect, line, text, circle').length,
      width: sb.width,
      height: sb.height,
      naturalWidth: Number(svg.getAttribute('width')),
      title: title ? title.textContent : '',
      subtitle,
      overlaps,
      cut,
      scales,
      belowZero: [...new Set(belowZero)],
      flat: [...new Set(flat)],
      truncated,
    };
  });
})()`;

/** Debian's chromium, headless; a missing browser fails the test. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    // Fail loudly: a CI without the browser must not pass by skipping the test.
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export async function checkPage(file: string, shotsDir: string, name: string): Promise<PageCheck> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `file://${file}`;
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    const charts = (await page.evaluate(MEASURE)) as ChartCheck[];
    const overflowX = (await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth')) as boolean;
    const figureTables = (await page.evaluate("document.querySelectorAll('table.figures').length")) as number;
    const tablesCut = (await page.evaluate("[...document.querySelectorAll('div.figures')].filter((d) => d.scrollWidth > d.clientWidth + 1).length")) as number;
    const order = (await page.evaluate(`(() => {
      const top = (e) => e ? e.getBoundingClientRect().top + window.scrollY : null;
      const chart = top(document.querySelector('figure.chart'));
      const answer = top(document.querySelector('p.answer, ul.answers'));
      const w = document.querySelector('div.warnings');
      const warnings = w && w.getBoundingClientRect().height > 10 && getComputedStyle(w).display !== 'none' ? top(w) : null;
      const before = (y) => y !== null && (chart === null || y < chart);
      return { answerFirst: before(answer), warningsFirst: before(warnings), presCut: [...document.querySelectorAll('pre')].filter((p) => p.scrollWidth > p.clientWidth + 1).length };
    })()`)) as { answerFirst: boolean; warningsFirst: boolean; presCut: number };
    await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
    for (const c of charts) await page.locator(`#chart-${c.id}`).screenshot({ path: path.join(shotsDir, `${name}-${c.id}.png`) });
    // The top of the page (title, command) and the figures, as a reader first meets them.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(shotsDir, `${name}-top.png`) });
    const figures = (await page.evaluate(`(() => {
      const hs = [...document.querySelectorAll('h2')];
      const a = hs.find((h) => h.textContent === 'Figures'), b = hs.find((h) => h.textContent === 'Settings');
      if (!a || !b) return null;
      const y0 = a.getBoundingClientRect().top + window.scrollY, y1 = b.getBoundingClientRect().top + window.scrollY;
      return { x: 0, y: y0, width: document.documentElement.clientWidth, height: Math.max(1, y1 - y0) };
    })()`)) as { x: number; y: number; width: number; height: number } | null;
    if (figures) await page.screenshot({ path: path.join(shotsDir, `${name}-figures.png`), clip: figures, fullPage: true });
    return { charts, errors, requests, overflowX, figureTables, tablesCut, ...order };
  } finally {
    await browser.close();
  }
}
