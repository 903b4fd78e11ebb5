// One replication's timeline: per container, workers accepting and draining/down (stepped),
// the accept-queue length and the busy contexts, and below them every failure as a tick
// coloured by its cause: the picture of a recycling storm.
import type { TimelineData } from '../../model/timeline.js';
import { CONFIG, SCHEMA, type Chart } from './spec.js';

const SERIES = [
  { key: 'accepting', title: 'workers accepting' },
  { key: 'notAccepting', title: 'workers draining or down' },
  { key: 'backlog', title: 'accept-queue length' },
  { key: 'busy', title: 'busy contexts (requests in service)' },
] as const;

/** Failures drawn one tick each up to this many; above it, counted per sampling interval. */
const MAX_TICKS = 3000;
/** Containers drawn (the rest are summarised in the subtitle). */
const MAX_CONTAINERS = 8;

interface Row {
  t: number;
  container: string;
  v: number;
}

/** Stepped series lose nothing when only the samples where the value changes are kept. */
function changes(t: readonly number[], v: readonly number[], container: string, t0: number): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < v.length; i++) {
    if (i === 0 || i === v.length - 1 || v[i] !== v[i - 1]) out.push({ t: (t[i]! - t0) / 60, container, v: v[i]! });
  }
  return out;
}

export function timelineChart(tl: TimelineData, model: string, replication = 0): Chart {
  const t0 = tl.t[0] ?? 0;
  const shown = tl.containers.slice(0, MAX_CONTAINERS);
  const panel = (key: (typeof SERIES)[number]['key']) =>
    shown.flatMap((c, i) => {
      const v = key === 'notAccepting' ? c.draining.map((d, j) => d + c.down[j]!) : c[key];
      return changes(tl.t, v, `container ${i + 1}`, t0);
    });
  const f = tl.failures;
  const causeOf = (i: number) => `${f.status[i]} ${f.cause[i]}`;
  let fails: { t: number; cause: string; n: number; container: string }[];
  if (f.t.length <= MAX_TICKS) {
    fails = f.t.map((t, i) => ({ t: (t - t0) / 60, cause: causeOf(i), n: 1, container: `container ${f.container[i]! + 1}` }));
  } else {
    const bins = new Map<string, { t: number; cause: string; n: number; container: string }>();
    f.t.forEach((t, i) => {
      const b = Math.floor((t - t0) / tl.interval);
      const k = `${b}|${causeOf(i)}`;
      const e = bins.get(k) ?? { t: (b * tl.interval) / 60, cause: causeOf(i), n: 0, container: 'all' };
      e.n++;
      bins.set(k, e);
    });
    fails = [...bins.values()];
  }
  const minutes = ((tl.t[tl.t.length - 1] ?? t0) - t0) / 60;
  const x = { field: 't', type: 'quantitative' as const, title: 'minutes into the measured window', scale: { domain: [0, minutes] } };
  const color = { field: 'container', type: 'nominal' as const, title: 'container' };
  const notes = [
    `replication ${replication}, sampled every ${tl.interval} s`,
    tl.containers.length > MAX_CONTAINERS ? `first ${MAX_CONTAINERS} of ${tl.containers.length} containers` : '',
    tl.failuresOmitted > 0 ? `${tl.failuresOmitted} failures past the trace's cap not shown` : '',
    f.t.length > MAX_TICKS ? 'failures counted per sampling interval' : '',
  ].filter(Boolean);
  const title = 'Timeline of one replication';
  return {
    id: 'timeline',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: { text: title, subtitle: `${model}: ${notes.join('; ')}` },
      vconcat: [
        ...SERIES.map((s) => ({
          width: 640,
          height: 90,
          data: { values: panel(s.key) },
          mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 1.2, clip: true },
          encoding: { x: { ...x, title: null, axis: { labels: false } }, y: { field: 'v', type: 'quantitative' as const, title: s.title, axis: { titleFontSize: 10 } }, color },
        })),
        {
          width: 640,
          height: 70,
          data: { values: fails },
          mark: f.t.length <= MAX_TICKS ? { type: 'tick' as const, thickness: 1, clip: true } : { type: 'circle' as const, clip: true },
          encoding: {
            x,
            y: { field: 'cause', type: 'nominal' as const, title: 'failures', axis: { titleFontSize: 10 } },
            color: { field: 'cause', type: 'nominal' as const, title: 'failure cause', scale: { scheme: 'set1' } },
            ...(f.t.length > MAX_TICKS ? { size: { field: 'n', type: 'quantitative' as const, title: 'failures per interval' } } : {}),
          },
        },
      ],
      resolve: { scale: { color: 'independent' } },
    },
  };
}

