// The observations file (OBSERVATIONS-FORMAT.md, docs/calibrate.md): what a team knew of its real
// fleet, each statement with the configuration it was seen at and its uncertainty, as YAML:
//   observations:
//     - { name: 502s at 2 workers, metric: 502/5min, value: 13, window: 5m, set: { fleet.server.workers: 2 } }
// Read with zod into Observation (observation.ts); a bad field is one line naming the file, the key
// path (observations.1.valu) and the expected form, exit 2.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ExperimentInputError } from '../experiment/errors.js';
import { metricName, parseMetricName, METRIC_FORMS, type MetricSpec } from '../experiment/metrics.js';
import { parseDuration } from '../scenario/units.js';
import type { Observation, ObservedReader } from './observation.js';

/** The model discrepancy when an observation states none: this share of its value (or bound). */
export const DEFAULT_DISCREPANCY = 0.1;
/** A count's window when none is given: one 5-minute window (a per-hour count: one hour). */
const FIGURE = z.union([z.number(), z.string()]);

const entry = z.strictObject({
  name: z.string().optional(),
  metric: z.string(),
  value: FIGURE.optional(),
  atMost: FIGURE.optional(),
  atLeast: FIGURE.optional(),
  sd: FIGURE.optional(),
  window: z.string().optional(),
  discrepancy: FIGURE.optional(),
  set: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  note: z.string().optional(),
});
const file = z.strictObject({ observations: z.array(entry).min(1, 'empty: no usable observation in the file') });

const FORM = 'an observations file (docs/calibrate.md): observations: [ { metric: 502/5min, value: 13, sd: 4, set: { fleet.server.workers: 2 } } ]';

/** A figure in the metric's units: rates and shares as fractions ("0.014%" too), latency in ms ("250ms", "0.25s"). */
export function parseFigure(metric: MetricSpec, v: string | number): number {
  if (typeof v === 'number') return v;
  const t = v.trim();
  const pct = /^([+-]?\d+(?:\.\d*)?|\.\d+)\s*%$/.exec(t);
  // "0.014%" is 0.00014 exactly as written (dividing by 100 would give 0.00014000000000000001).
  if (pct && (metric.kind === 'rate' || metric.kind === 'cpu' || metric.kind === 'memory')) return Number(`${pct[1]}e-2`);
  if (metric.kind === 'latency') return parseDuration(t) * 1000;
  const n = Number(t);
  if (t !== '' && Number.isFinite(n)) return n;
  throw new Error(`"${v}" is not a figure in the units of ${metricName(metric)} (${figureForm(metric)})`);
}

function figureForm(m: MetricSpec): string {
  switch (m.kind) {
    case 'rate':
      return 'a share such as 0.014% or 0.00014';
    case 'cpu':
    case 'memory':
      return 'a share such as 30% or 0.3';
    case 'latency':
      return 'a latency such as 250ms or 0.25s';
    default:
      return 'a number';
  }
}

/** Read an observations file's text; `path` names it in errors and sources. */
export function parseObservationsText(text: string, path: string): Observation[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) throw new ExperimentInputError(`${path}: not YAML (${doc.errors[0]!.message.split('\n')[0]}); expected ${FORM}`);
  const parsed = file.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0]!;
    const at = issue.path.join('.');
    const keys = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((k) => `${at ? `${at}.` : ''}${k}`).join(', ')}` : `${at || '(the file)'}: ${issue.message}`;
    throw new ExperimentInputError(`${path}: ${keys}; expected ${FORM}`);
  }
  return parsed.data.observations.map((o, i) => {
    const at = `observations.${i}`;
    const bad = (field: string, problem: string): never => {
      throw new ExperimentInputError(`${path}: ${at}.${field}: ${problem}`);
    };
    const metric = parseMetricName(o.metric) ?? bad('metric', `"${o.metric}" is not a metric capsim computes; expected ${METRIC_FORMS}`);
    const fig = (field: string, v: string | number): number => {
      try {
        const x = parseFigure(metric, v);
        if (!Number.isFinite(x) || x < 0) bad(field, `${v} must be a finite figure >= 0`);
        return x;
      } catch (e) {
        if (e instanceof ExperimentInputError) throw e;
        return bad(field, e instanceof Error ? e.message : String(e));
      }
    };
    const given = (['value', 'atMost', 'atLeast'] as const).filter((k) => o[k] !== undefined);
    if (given.length !== 1) bad(given.length === 0 ? 'value' : given[1]!, 'give exactly one of value, atMost, atLeast');
    const which = given[0]!;
    const figure = fig(which, o[which]!);
    let window = 0;
    if (o.window !== undefined) {
      try {
        window = parseDuration(o.window);
      } catch (e) {
        bad('window', e instanceof Error ? e.message : String(e));
      }
      if (!(window > 0)) bad('window', `${o.window} must be above 0`);
    }
    const sd = o.sd !== undefined ? fig('sd', o.sd) : defaultSd(metric, figure, window) ?? bad('sd', `a ${metricName(metric)} figure needs its own uncertainty (sd, in its units): only counts have a default (Poisson)`);
    let discrepancy = DEFAULT_DISCREPANCY * figure;
    if (o.discrepancy !== undefined) {
      const d = typeof o.discrepancy === 'string' ? /^\s*(\d+(?:\.\d*)?|\.\d+)\s*%\s*$/.exec(o.discrepancy) : null;
      discrepancy = d && metric.kind !== 'rate' && metric.kind !== 'cpu' && metric.kind !== 'memory' ? Number(`${d[1]}e-2`) * figure : fig('discrepancy', o.discrepancy);
    }
    const set = o.set ?? {};
    const where = Object.entries(set)
      .map(([k, v]) => `${k.split('.').pop()}=${String(v)}`)
      .join(', ');
    const node = doc.getIn(['observations', i], true) as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lines.linePos(node.range[0]).line : undefined;
    const form = which === 'value' ? { kind: 'value' as const, value: figure, sd } : { kind: which === 'atMost' ? ('at-most' as const) : ('at-least' as const), bound: figure, sd };
    return {
      name: o.name ?? `${metricName(metric)}${where ? ` at ${where}` : ''}`,
      source: `${path}${line !== undefined ? `:${line}` : `#${at}`}`,
      metric,
      form,
      set,
      window,
      discrepancy,
    } satisfies Observation;
  });
}

/**
 * A count's own noise when the file gives none: Poisson over the window (one 5-minute window for a
 * per-5-minute count, one hour for a per-hour count), at least one event's worth, so that an
 * observed 0 still allows a small mean. Undefined for figures that have no such default.
 */
export function defaultSd(metric: MetricSpec, figure: number, window: number): number | undefined {
  const per = metric.kind === 'per5min' ? 300 : metric.kind === 'kills' ? 3600 : 0;
  if (per === 0) return undefined;
  const w = window > 0 ? window : per;
  const count = (figure * w) / per;
  return (Math.sqrt(Math.max(count, 1)) * per) / w;
}

export const observationsFileReader: ObservedReader = {
  kind: 'observations',
  detect: (path, head) => /\.ya?ml$/i.test(path) && /^observations\s*:/m.test(head),
  read: async (path) => parseObservationsText(readFileSync(path, 'utf8'), path),
};
