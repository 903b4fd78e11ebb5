// Open an HTML file in headless Chromium (Debian's `chromium`), driven by playwright-core: which
// charts rendered, what the console said, and a screenshot.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['CAPSIM_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PageCheck {
  /** Per chart figure: its id, and the number of SVG elements drawn inside it. */
  charts: { id: string; elements: number; width: number; height: number }[];
  /** Console errors and page errors. */
  errors: string[];
  /** Requests the page made for anything but itself (a self-contained page makes none). */
  requests: string[];
}

/** Debian's chromium, headless; a missing browser fails the test. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    // Fail loudly: a CI without the browser must not pass by skipping the test.
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export async function checkPage(file: string, screenshot: string): Promise<PageCheck> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
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
    const charts = (await page.evaluate(`[...document.querySelectorAll('figure.chart')].map((f) => {
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return { id: f.dataset.chart, elements: svg ? svg.querySelectorAll('path, rect, line, text, circle').length : 0, width: box.width, height: box.height };
    })`)) as PageCheck['charts'];
    await page.screenshot({ path: screenshot, fullPage: true });
    return { charts, errors, requests };
  } finally {
    await browser.close();
  }
}
