// What every capsim chart shares: the Vega-Lite spec type, inline data, and a common look.
import type { TopLevelSpec } from 'vega-lite';
import { duration } from '../format.js';

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
  // Labels that would touch are thinned out (vega keeps every other one until none do).
  axis: { labelFontSize: 11, titleFontSize: 12, labelOverlap: 'parity' as const, labelSeparation: 4 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const, subtitleFontSize: 11, subtitleColor: '#555', subtitlePadding: 4, offset: 12 },
};

/** Colours of the failure causes and statuses, the same in every chart. */
export const STATUS_COLOURS: Record<string, string> = { '500': '#9467bd', '502': '#d62728', '503': '#ff7f0e', '504': '#1f77b4' };

/** JSON figures may be null (nothing measured); charts drop such rows. */
export const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** A short label for a key path: its last segment ("fleet.server.workers" -> "workers"). */
export const shortKey = (p: string): string => p.split('.').pop() ?? p;

/**
 * Where a chart's numbers came from, printed under its title so a chart copied out of the
 * report still says which run it shows: the model file, the seed, the replications.
 */
export interface Origin {
  /** The model file (or, where no file is known, the model's name). */
  source: string;
  /** A seed, or words when runs compared side by side have several. */
  seed: number | string;
  /** A count, or words such as "2 to 8 replications per point" (sizing reruns close points). */
  replications: number | string;
  /** Measured simulated seconds per replication. */
  seconds?: number;
}

export function originLine(o: Origin): string {
  const reps = typeof o.replications === 'string' ? o.replications : `${o.replications} replication${o.replications === 1 ? '' : 's'}`;
  const each = o.seconds !== undefined ? ` of ${duration(o.seconds)}` : '';
  return `from ${o.source}, seed ${o.seed}, ${reps}${each}`;
}

/** Subtitle lines are wrapped at this many characters (about 520 px at 11 px): a long line would widen the chart. */
const SUBTITLE_CHARS = 90;

/** Wraps at clause boundaries (`sep`) where it can, else between words. */
export function wrap(line: string, width = SUBTITLE_CHARS, sep = '; '): string[] {
  const out: string[] = [];
  let cur = '';
  const pieces = line.split(sep).flatMap((clause, i, all) => {
    const c = i < all.length - 1 ? `${clause}${sep.trimEnd()}` : clause;
    return c.length <= width ? [c] : c.split(' ');
  });
  for (const piece of pieces) {
    if (cur && cur.length + 1 + piece.length > width) {
      out.push(cur);
      cur = piece;
    } else cur = cur ? `${cur} ${piece}` : piece;
  }
  if (cur) out.push(cur);
  return out;
}

/** A chart's title: the figure with its unit, then the planner's question and the run, as subtitle lines. */
export function chartTitle(text: string, question: string, origin: Origin, ...notes: string[]) {
  return { text, subtitle: [question, ...notes.filter(Boolean), originLine(origin)].flatMap((l) => wrap(l)) };
}
