// How a sweep's varied keys map onto a chart without averaging: the first key on the x axis, the
// second as coloured series (when the chart's colour is free), every further key as small
// multiples (one panel per combination, its header naming each key and value in full). No panel
// shows a number that no configuration had.
import type { SweepResult } from '../../experiment/sweep.js';
import type { ChartSpec } from './spec.js';

export interface SweepLayout {
  xKey: string;
  /** The key drawn as coloured series, if any. */
  colourKey: string | null;
  /** Keys drawn as panels. */
  facetKeys: string[];
  series: string[];
  facets: string[];
  seriesOf(point: Record<string, unknown>): string;
  facetOf(point: Record<string, unknown>): string;
}

export function sweepLayout(r: SweepResult, colourFree = true): SweepLayout {
  const [xKey, ...rest] = r.vary.map((v) => v.path);
  if (!xKey) throw new Error('a sweep chart needs at least one varied key');
  const colourKey = colourFree ? (rest[0] ?? null) : null;
  const facetKeys = colourFree ? rest.slice(1) : rest;
  const seriesOf = (p: Record<string, unknown>) => (colourKey ? String(p[colourKey]) : 'all');
  // One line per key in a panel's header.
  const facetOf = (p: Record<string, unknown>) => facetKeys.map((k) => `${k}=${String(p[k])}`).join('\n');
  return {
    xKey,
    colourKey,
    facetKeys,
    series: [...new Set(r.points.map((p) => seriesOf(p.point)))],
    facets: [...new Set(r.points.map((p) => facetOf(p.point)))],
    seriesOf,
    facetOf,
  };
}

/** A panel's width: at least its header's longest line (12 px bold DejaVu Sans: about 8.3 px a character), so the header never widens the panel's column past its plot. */
export function panelWidth(layout: SweepLayout, width: number): number {
  const longest = Math.max(0, ...layout.facets.flatMap((f) => f.split('\n').map((l) => l.length)));
  return Math.max(width, Math.ceil(longest * 8.3));
}

/** "fleet.server.workers=2, fleet.server.connectionClose=true": a panel's name on one line. */
export const facetText = (facet: string): string => facet.split('\n').join(', ');

/** Panels in rows of two, each headed by its keys and values in full, a line per key. */
export function facetted(layout: SweepLayout, outer: Record<string, unknown>, inner: Record<string, unknown>): ChartSpec {
  if (layout.facetKeys.length === 0) return { ...outer, ...inner } as unknown as ChartSpec;
  const { data, ...rest } = outer;
  const width = typeof inner['width'] === 'number' ? panelWidth(layout, inner['width']) : inner['width'];
  return {
    ...rest,
    data,
    facet: {
      field: 'facet',
      type: 'nominal',
      sort: layout.facets,
      header: { title: null, labelLimit: 0, labelFontSize: 12, labelFontWeight: 'bold', labelExpr: "split(datum.label, '\\n')", labelLineHeight: 15 },
    },
    columns: Math.min(2, layout.facets.length),
    spacing: 24,
    // Each panel with its own axes beside it (the scales stay shared: panels compare).
    resolve: { axis: { x: 'independent', y: 'independent' } },
    spec: { ...inner, width },
  } as unknown as ChartSpec;
}
