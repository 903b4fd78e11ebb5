// What every capsim chart shares: the Vega-Lite spec type, inline data, and a common look.
import type { TopLevelSpec } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

/** A chart with its identity: a stable id (file names, HTML anchors) and a title. */
export interface Chart {
  id: string;
  title: string;
  spec: ChartSpec;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Common configuration: plain fonts that exist everywhere, no actions, white background. */
export const CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const },
};

/** Colours of the failure causes and statuses, the same in every chart. */
export const STATUS_COLOURS: Record<string, string> = { '500': '#9467bd', '502': '#d62728', '503': '#ff7f0e', '504': '#1f77b4' };

/** JSON figures may be null (nothing measured); charts drop such rows. */
export const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** A short label for a key path: its last segment ("fleet.server.workers" -> "workers"). */
export const shortKey = (p: string): string => p.split('.').pop() ?? p;
