// Vega-Lite spec -> SVG (vega's headless renderer: no browser, no canvas, no network) and
// SVG -> PNG (resvg, a native module). Both are loaded on first use: a command that draws no
// chart does not pay for parsing them (vega alone is most of the CLI's code).
import type * as Vega from 'vega';
import type { ChartSpec } from './spec.js';

// The CLI runs as a code-cached CommonJS bundle (bin/load-bundle.js), where Node 20 cannot run an
// import() of the bundle's own (a vm.Script compiled from a code cache loses its dynamic-import
// callback); the loader lends its import() under this key. Elsewhere (tests, tsc output) the
// module's own import() does.
const LENT_IMPORT = Symbol.for('capsim.import');

function importModule<T>(specifier: string): Promise<T> {
  const lent = (globalThis as { [LENT_IMPORT]?: (s: string) => Promise<unknown> })[LENT_IMPORT];
  return (lent ? lent(specifier) : import(specifier)) as Promise<T>;
}

/** Render a chart to an SVG document. Deterministic: same spec, same bytes. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const vega = await importModule<typeof Vega>('vega');
  const { compile } = await importModule<typeof import('vega-lite')>('vega-lite');
  const compiled = compile(spec).spec;
  // No loader: every chart carries its data inline, so nothing is ever fetched.
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: noLoader(vega) });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function noLoader(vega: typeof Vega): Vega.Loader {
  const l = vega.loader();
  l.load = () => Promise.reject(new Error('capsim charts carry their data inline; nothing is loaded'));
  return l;
}

/** Render an SVG to PNG at the given scale (2 = twice the SVG's pixel size). */
export async function renderPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await importModule<typeof import('@resvg/resvg-js')>('@resvg/resvg-js');
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return r.render().asPng();
}
