// The panels a timeline chart is made of, for one stretch of one replication: per container
// (small multiples, the same scales in each), the workers by state and the requests in the
// container as stacked step areas (samples hold until the next one: nothing is interpolated),
// then a strip with a mark for every worker event (recycle, mercy exit, SIGKILL and its reason)
// and every failure (balancer status and cause).
import type { TimelineData } from '../../model/timeline.js';
import { STATUS_COLOURS, wrap } from './spec.js';

/** Containers drawn as panels; with more, the ones with the most failures and worker events. */
export const MAX_PANELS = 4;
/** Marks drawn one each up to this many per chart; above it, counted per bin. */
const MAX_MARKS = 3000;
const WIDTH = 580;

const WORKER_STATES = ['workers accepting', 'workers draining', 'workers starting or down'] as const;
const REQUEST_STATES = ['requests in service', 'requests in accept queue'] as const;
const STATE_COLOURS = ['#59a14f', '#f28e2b', '#bab0ac', '#4e79a7', '#edc948'];
const WORKER_EVENT_ORDER = ['recycle', 'mercy-exit'];

/** A stretch of the measured window (seconds since its start) and how its axis reads. */
export interface Stretch {
  from: number;
  to: number;
  /** Seconds per axis unit (60: minutes) and the axis title (with its unit). */
  unit: number;
  axisTitle: string;
}

interface Mark {
  /** Seconds since the window's start. */
  t: number;
  container: number;
  what: string;
}

/** Every worker event and failure of the replication, as marks. */
export function timelineMarks(tl: TimelineData): Mark[] {
  const t0 = tl.t[0] ?? 0;
  const e = tl.events ?? { t: [], kind: [], container: [] };
  const f = tl.failures;
  return [
    ...e.t.map((t, i) => ({ t: t - t0, container: e.container[i]!, what: e.kind[i]! })),
    ...f.t.map((t, i) => ({ t: t - t0, container: f.container[i]!, what: `${f.status[i]} ${f.cause[i]}` })),
  ];
}

/** Worker events first (recycle, mercy exit, SIGKILLs), then failures by status and cause. */
function markOrder(kinds: Iterable<string>): string[] {
  const rank = (k: string) => (WORKER_EVENT_ORDER.includes(k) ? WORKER_EVENT_ORDER.indexOf(k) : k.startsWith('SIGKILL') ? 2 : 3);
  return [...new Set(kinds)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function markColour(k: string): string {
  if (k === 'recycle') return '#555555';
  if (k === 'mercy-exit') return '#9c755f';
  if (k.startsWith('SIGKILL')) return '#000000';
  return STATUS_COLOURS[k.split(' ')[0]!] ?? '#d62728';
}

interface Area {
  x: number;
  y0: number;
  y1: number;
  state: string;
}

/** Steps drawn across a panel at most: beyond, each step is the worst sample of a few (see below). */
const MAX_STEPS = 600;

/** How many samples of the stretch each drawn step stands for (1: every sample drawn). */
export function samplesPerStep(tl: TimelineData, s: Stretch): number {
  return Math.max(1, Math.ceil((s.to - s.from) / tl.interval / MAX_STEPS));
}

/**
 * Stacked step areas of `series` (each a value per sample) within the stretch. With more samples
 * than a panel has room for, each step stands for `k` samples and shows the worst of them (the
 * one with the highest `worst` score: fewest workers accepting, most requests), so a dip or a
 * burst is never averaged away. Only the steps where a band changes are kept (a stepped band
 * loses nothing by it), plus the stretch's ends.
 */
function stackedSteps(tl: TimelineData, s: Stretch, names: readonly string[], series: readonly (readonly number[])[], worst: (i: number) => number): Area[] {
  const t0 = tl.t[0] ?? 0;
  const out: Area[] = [];
  const n = tl.t.length;
  // The sample in force at the stretch's start, and every one up to its end.
  let first = 0;
  while (first + 1 < n && tl.t[first + 1]! - t0 <= s.from) first++;
  let last = first;
  while (last + 1 < n && tl.t[last + 1]! - t0 <= s.to) last++;
  const k = samplesPerStep(tl, s);
  // Per step: its start (the first sample's time) and the sample it shows.
  const steps: { t: number; i: number }[] = [];
  for (let b = first; b <= last; b += k) {
    let pick = b;
    for (let i = b + 1; i < Math.min(b + k, last + 1); i++) if (worst(i) > worst(pick)) pick = i;
    steps.push({ t: Math.max(tl.t[b]! - t0, s.from), i: pick });
  }
  names.forEach((name, j) => {
    let prev: [number, number] | null = null;
    steps.forEach(({ t, i }, q) => {
      let y0 = 0;
      for (let m = 0; m < j; m++) y0 += series[m]![i]!;
      const y1 = y0 + series[j]![i]!;
      if (prev === null || q === steps.length - 1 || prev[0] !== y0 || prev[1] !== y1) out.push({ x: t / s.unit, y0, y1, state: name });
      prev = [y0, y1];
    });
    // The last step holds to the stretch's end.
    if (prev !== null && steps.length > 0 && steps[steps.length - 1]!.t < s.to) out.push({ x: s.to / s.unit, y0: prev[0], y1: prev[1], state: name });
  });
  return out;
}

export interface Panels {
  vconcat: unknown[];
  /** Which containers are drawn, as words for a subtitle ("" when all are). */
  note: string;
  /** Marks counted per bin rather than drawn one each (too many). */
  binned: boolean;
  /** Marks in the stretch, all containers. */
  marks: number;
}

/** The panels for a stretch: up to MAX_PANELS containers, the busiest when there are more. */
export function timelinePanels(tl: TimelineData, s: Stretch, opts: { onlyBusy?: boolean } = {}): Panels {
  const marks = timelineMarks(tl).filter((m) => m.t >= s.from && m.t <= s.to);
  const count = tl.containers.map((_, c) => marks.filter((m) => m.container === c).length);
  let shown = tl.containers.map((_, c) => c);
  if (opts.onlyBusy) shown = shown.filter((c) => count[c]! > 0);
  if (shown.length === 0) shown = [0];
  if (shown.length > MAX_PANELS) shown = [...shown].sort((a, b) => count[b]! - count[a]! || a - b).slice(0, MAX_PANELS).sort((a, b) => a - b);
  const n = tl.containers.length;
  const busy = count.filter((x) => x > 0).length;
  const which = opts.onlyBusy ? 'those with failures or worker events' : busy === 0 ? 'the first ones (none had a failure or worker event)' : 'those with the most failures and worker events';
  const k = samplesPerStep(tl, s);
  const note = [
    shown.length === n ? '' : `${shown.length} of ${n} containers: ${which}`,
    k > 1 ? `each step shows the worst of ${k} samples (${num(k * tl.interval)} s): the fewest workers accepting, the most requests` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const binned = marks.length > MAX_MARKS;
  // Bins of 1/200 of the stretch, at least one sample: a shaded rectangle per bin, darker where more fell.
  const bin = Math.max(tl.interval, (s.to - s.from) / 200);
  const kindsAll = markOrder(marks.filter((m) => shown.includes(m.container) || m.container < 0).map((m) => m.what));
  const colourDomain = [...WORKER_STATES, ...REQUEST_STATES, ...kindsAll];
  const colour = {
    field: 'state',
    type: 'nominal' as const,
    title: null,
    scale: { domain: colourDomain, range: [...STATE_COLOURS, ...kindsAll.map(markColour)] },
    legend: { orient: 'right' as const, labelLimit: 240, symbolType: 'square' },
  };
  const maxWorkers = Math.max(1, ...shown.map((c) => { const t = tl.containers[c]!; return Math.max(...t.accepting.map((a, i) => a + t.draining[i]! + t.down[i]!)); }));
  const maxRequests = niceCeil(Math.max(1, ...shown.map((c) => { const t = tl.containers[c]!; return Math.max(...t.busy.map((b, i) => b + t.backlog[i]!)); })));
  const x = (bottom: boolean) => ({
    field: 'x',
    type: 'quantitative' as const,
    scale: { domain: [s.from / s.unit, s.to / s.unit], nice: false },
    axis: bottom ? { title: s.axisTitle, tickCount: 10 } : { title: null, labels: false, ticks: false, domain: false },
  });
  // y-axis titles sit above their panel, horizontally: a rotated title would not fit a short panel.
  // Integer ticks only, at most three: a 36-pixel panel has no room for more.
  const ticks = (max: number) => (max % 2 === 0 ? [0, max / 2, max] : [0, max]);
  const yAxis = (title: string, max: number) => ({ title, titleAngle: 0, titleAlign: 'left' as const, titleAnchor: 'end' as const, titleBaseline: 'bottom' as const, titleY: -5, titleX: 2, titleFontSize: 10, titleFontWeight: 'normal' as const, values: ticks(max), format: ',d', labelOverlap: false });
  let maxPerBin = 1;
  if (binned) {
    const perBin = new Map<string, number>();
    for (const m of marks) {
      const k = `${m.container}|${Math.floor((m.t - s.from) / bin)}|${m.what}`;
      perBin.set(k, (perBin.get(k) ?? 0) + 1);
    }
    maxPerBin = Math.max(1, ...perBin.values());
  }
  // Failures with no container (the balancer found no target, its surge queue was full) get a
  // strip of their own: every failure shows.
  const nowhere = marks.filter((m) => m.container < 0);
  /** The strip of marks: a tick each, or shaded bins when there are too many. */
  const strip = (mine: readonly Mark[], bottom: boolean) => {
    const kinds = markOrder(mine.map((m) => m.what));
    let rows: { x: number; x2: number; state: string; n: number }[];
    if (!binned) rows = mine.map((m) => ({ x: m.t / s.unit, x2: m.t / s.unit, state: m.what, n: 1 }));
    else {
      const bins = new Map<string, { x: number; x2: number; state: string; n: number }>();
      for (const m of mine) {
        const b = Math.floor((m.t - s.from) / bin);
        const k = `${b}|${m.what}`;
        const e = bins.get(k) ?? { x: (s.from + b * bin) / s.unit, x2: Math.min(s.to, s.from + (b + 1) * bin) / s.unit, state: m.what, n: 0 };
        e.n++;
        bins.set(k, e);
      }
      rows = [...bins.values()];
    }
    return {
      width: WIDTH,
      height: Math.max(1, kinds.length) * 13,
      data: { values: rows },
      // Too many to draw one each: a strip of bins, darker where more fell.
      mark: binned ? { type: 'rect' as const, clip: true } : { type: 'tick' as const, thickness: 1.2, clip: true },
      encoding: {
        x: x(bottom),
        ...(binned ? { x2: { field: 'x2' } } : {}),
        y: { field: 'state', type: 'nominal' as const, scale: { domain: kinds.length ? kinds : ['none'] }, axis: { title: null, labelFontSize: 9, labelLimit: 200, ticks: false } },
        color: colour,
        ...(binned
          ? { opacity: { field: 'n', type: 'quantitative' as const, title: `marks per ${num(bin)} s (count)`, scale: { domain: [0, maxPerBin], range: [0.15, 1] }, legend: { orient: 'right' as const, titleLimit: 300, values: [...new Set([1, Math.round(maxPerBin / 2), maxPerBin])] } } }
          : {}),
      },
    };
  };
  const tallyOf = (mine: readonly Mark[]) =>
    markOrder(mine.map((m) => m.what))
      .map((k) => `${k} ${mine.filter((m) => m.what === k).length}`)
      .join(', ');
  const groupTitle = (text: string) => ({ text: wrap(text, 84, ', '), fontSize: 11, fontWeight: 'bold' as const, anchor: 'start' as const, offset: 4 });
  const vconcat: unknown[] = shown.map((c, idx) => {
    const trace = tl.containers[c]!;
    const mine = marks.filter((m) => m.container === c);
    const workers = stackedSteps(tl, s, WORKER_STATES, [trace.accepting, trace.draining, trace.down], (i) => -trace.accepting[i]!);
    const requests = stackedSteps(tl, s, REQUEST_STATES, [trace.busy, trace.backlog], (i) => trace.busy[i]! + trace.backlog[i]!);
    const bottom = idx === shown.length - 1 && nowhere.length === 0;
    const tally = tallyOf(mine);
    const area = { type: 'area' as const, interpolate: 'step-after' as const, clip: true, opacity: 0.9 };
    return {
      title: groupTitle(`container ${c + 1}${tally ? `: ${tally}` : ': no failures or worker events'}`),
      spacing: 12,
      vconcat: [
        {
          width: WIDTH,
          height: 36,
          data: { values: workers },
          mark: area,
          encoding: { x: x(false), y: { field: 'y1', type: 'quantitative' as const, scale: { domain: [0, maxWorkers] }, axis: yAxis('workers (count)', maxWorkers) }, y2: { field: 'y0' }, color: colour },
        },
        {
          width: WIDTH,
          height: 36,
          data: { values: requests },
          mark: area,
          encoding: { x: x(false), y: { field: 'y1', type: 'quantitative' as const, scale: { domain: [0, maxRequests] }, axis: yAxis('requests in the container (count)', maxRequests) }, y2: { field: 'y0' }, color: colour },
        },
        strip(mine, bottom),
      ],
    };
  });
  if (nowhere.length > 0) vconcat.push({ title: groupTitle(`at the balancer, no container: ${tallyOf(nowhere)}`), vconcat: [strip(nowhere, true)] });
  return { vconcat, note, binned, marks: marks.length };
}

/** The next of 1, 2, 4, 5, 10, 20, 40, 50, … at or above x: round ticks at 0, half and the top. */
function niceCeil(x: number): number {
  const k = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 4, 5, 10]) if (m * k >= x) return m * k;
  return 10 * k;
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
