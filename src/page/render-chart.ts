/// <reference lib="dom" />
// A capsim chart (a Vega-Lite spec from src/report/charts) drawn into the page as SVG, by the
// vega and vega-lite bundled into it: no CDN, no loader (every chart carries its data inline).
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ChartSpec } from '../report/charts/spec.js';

const views = new WeakMap<Element, vega.View>();

const loader = vega.loader();
loader.load = () => Promise.reject(new Error('capsim charts carry their data inline; nothing is loaded'));

/** Draw `spec` into `container`, replacing what was drawn there. */
export async function drawChart(container: HTMLElement, spec: ChartSpec): Promise<void> {
  views.get(container)?.finalize();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'svg', container, hover: true, loader });
  views.set(container, view);
  await view.runAsync();
}
