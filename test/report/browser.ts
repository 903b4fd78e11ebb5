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
    return { charts, errors, requests, overflowX, figureTables, tablesCut };
  } finally {
    await browser.close();
  }
}
