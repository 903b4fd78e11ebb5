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

/**
 * A value axis that shows every point: linear while the values span at most two decades; beyond,
 * a log axis (every value above 0) or a symmetric log axis (zeros too: linear near 0, log above
 * `constant`), with ticks at powers of ten. Lower bounds are clipped at 0 by the caller.
 */
export interface ValueScale {
  kind: 'linear' | 'log' | 'symlog';
  scale: Record<string, unknown>;
  axis: Record<string, unknown>;
  /** The lowest value drawn (a log axis starts above 0): lower bounds below it are drawn at it. */
  floor: number;
  /** ", log scale" or "" for the axis title. */
  suffix: string;
  /** What a reader must know about the scale, for the subtitle ("" for a plain one). */
  note: string;
}

export function valueScale(values: readonly number[], opts: { alwaysLog?: boolean; zeroApart?: boolean } = {}): ValueScale {
  const v = values.filter((x) => Number.isFinite(x) && x >= 0);
  const pos = v.filter((x) => x > 0);
  const max = Math.max(0, ...v);
  const minPos = pos.length ? Math.min(...pos) : 0;
  // zeroApart (a colour scale): 0 and the smallest count must not look alike, so zeros beside
  // counts ten times apart or more take a log scale too.
  const wide = pos.length > 0 && (max / minPos > 100 || (opts.zeroApart === true && pos.length < v.length && max / minPos > 10));
  if (!wide && !(opts.alwaysLog && pos.length > 0)) return { kind: 'linear', scale: { zero: true }, axis: {}, floor: 0, suffix: '', note: '' };
  const lo = 10 ** Math.floor(Math.log10(minPos));
  const hi = 10 ** Math.ceil(Math.log10(max));
  const ticks: number[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(+t.toPrecision(1));
  if (pos.length === v.length) {
    return { kind: 'log', scale: { type: 'log', domain: [lo, hi] }, axis: ticks.length <= 8 ? { values: ticks, format: ',~r' } : { format: ',~r' }, floor: lo, suffix: ', log scale', note: '' };
  }
  return {
    kind: 'symlog',
    scale: { type: 'symlog', constant: lo, domain: [0, hi] },
    axis: { values: [0, ...ticks], format: ',~r' },
    floor: 0,
    suffix: ', log scale',
    note: `log scale above ${+lo.toPrecision(1)}, linear below it, so that 0 shows`,
  };
}

/** The symlog transform vega applies (for pixel positions computed by hand). */
export function symlog(x: number, constant: number): number {
  return Math.sign(x) * Math.log1p(Math.abs(x / constant));
}
