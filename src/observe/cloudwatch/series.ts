// From the files of a CloudWatch export to one series per metric and statistic on one time grid:
// which metric each result is (identify), pages and files joined, time order restored (the CLI
// writes newest first; get-metric-statistics in no order), the period inferred from the spacing
// of the time stamps and checked, and the span the export covers.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AWS_METRICS, awsMetric, metricIn, statIn, statName, type AwsMetric } from './aws-metrics.js';
import { CloudWatchInputError, readExportFile, type ExportFile, type QuerySpec, type RawSeries } from './export-file.js';

/** What the user said a result is: `--cloudwatch-id m1=HTTPCode_ELB_502_Count:Sum` (by Id or Label). */
export type IdMapping = Map<string, { metric: AwsMetric; stat: string }>;

export interface Series {
  metric: AwsMetric;
  stat: string;
  /** file#Id (or file#Label) of each part, for messages and sources. */
  sources: string[];
  /** How capsim knew which metric and statistic it is. */
  identifiedBy: string;
  /** The statistic is the metric's usual one because nothing named it. */
  assumedStat: boolean;
  /** Sorted, unique epoch seconds and their values. */
  times: number[];
  values: number[];
  /** Some part ended PartialData and no later page completed it. */
  partial: boolean;
}

export interface CloudWatchData {
  files: string[];
  series: Series[];
  /** Seconds between data points. */
  period: number;
  /** How the period was known. */
  periodFrom: string;
  /** The first and last time stamps of the whole export (inclusive), and the number of periods. */
  start: number;
  end: number;
  slots: number;
  /** Said to the user: PartialData, CloudWatch's messages, assumed statistics. */
  warnings: string[];
  /** Results not read, and why. */
  unidentified: string[];
}

export const CLOUDWATCH_EXPECTED = 'a series of RequestCount, HTTPCode_ELB_502/503/504/5XX_Count, HTTPCode_Target_5XX_Count, TargetResponseTime, HealthyHostCount, TargetConnectionErrorCount, CPUUtilization or MemoryUtilization';

/** Parse "ID=METRIC[:STAT]" (--cloudwatch-id). */
export function parseIdMapping(entries: readonly string[]): IdMapping {
  const map: IdMapping = new Map();
  for (const e of entries) {
    const m = /^([^=]+)=([A-Za-z0-9_]+)(?::(\S+))?$/.exec(e.trim());
    const metric = m ? awsMetric(m[2]!) : undefined;
    if (!m || !metric) throw new CloudWatchInputError(`--cloudwatch-id ${e}: expected ID=METRIC[:STAT] with METRIC one of ${AWS_METRICS.map((x) => x.name).join(', ')} (for example m1=HTTPCode_ELB_502_Count:Sum)`);
    const stat = m[3] !== undefined ? statName(m[3]) : metric.defaultStat;
    if (!stat) throw new CloudWatchInputError(`--cloudwatch-id ${e}: statistic ${m[3]}: expected Sum, Average, Minimum, Maximum, SampleCount or pNN`);
    map.set(m[1]!, { metric, stat });
  }
  return map;
}

/** Queries files beside an export: NAME.queries.json, then queries.json in the same directory. */
function queriesBeside(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file).replace(/\.json$/i, '');
  return [path.join(dir, `${base}.queries.json`), path.join(dir, 'queries.json')].filter((f) => f !== file && existsSync(f));
}

interface Identified {
  metric: AwsMetric;
  stat: string;
  by: string;
  assumed: boolean;
}

function identify(raw: RawSeries, queries: Map<string, { q: QuerySpec; file: string }>, mapping: IdMapping): Identified | string {
  const user = (raw.id && mapping.get(raw.id)) || (raw.label && mapping.get(raw.label));
  if (user) return { ...user, by: '--cloudwatch-id', assumed: false };
  const q = raw.id ? queries.get(raw.id) : undefined;
  if (q) {
    const metric = awsMetric(q.q.metric);
    const stat = statName(q.q.stat);
    if (!metric) return `its query (${q.file}) is ${q.q.metric}, not a metric capsim reads`;
    if (!stat) return `its query (${q.file}) has statistic ${q.q.stat}, which capsim does not read`;
    return { metric, stat, by: `its query (${path.basename(q.file)})`, assumed: false };
  }
  for (const [text, by] of [
    [raw.label, 'its Label'],
    [raw.id, 'its Id'],
  ] as const) {
    if (!text) continue;
    const metric = metricIn(text);
    if (!metric) continue;
    if (raw.stat) return { metric, stat: statName(raw.stat) ?? raw.stat, by, assumed: false };
    const stat = statIn(text, metric);
    return { metric, stat: stat ?? metric.defaultStat, by, assumed: stat === undefined };
  }
  return `neither its Label ${JSON.stringify(raw.label)} nor its Id ${JSON.stringify(raw.id)} names a metric capsim reads; name it with --cloudwatch-id ${raw.id || 'ID'}=METRIC:STAT, a Label such as "HTTPCode_ELB_502_Count Sum", or the queries file beside the export (NAME.queries.json)`;
}

const where = (raw: RawSeries) => `${raw.file}#${raw.id || raw.label || raw.at}`;

/** Read the files of one export: identify, join, order, and put on one grid. */
export function readCloudWatch(files: readonly string[], mapping: IdMapping = new Map()): CloudWatchData {
  if (files.length === 0) throw new CloudWatchInputError('no CloudWatch export given');
  const exports: ExportFile[] = [];
  const queryFiles = new Set<string>();
  for (const f of files) {
    const e = readExportFile(f);
    if (e.api === 'queries') queryFiles.add(f);
    else {
      exports.push(e);
      for (const q of queriesBeside(f)) queryFiles.add(q);
    }
  }
  if (exports.length === 0) throw new CloudWatchInputError(`${files.join(' ')}: only MetricDataQueries, no data: give the output of aws cloudwatch get-metric-data too`);
  const queries = new Map<string, { q: QuerySpec; file: string }>();
  const periods = new Set<number>();
  for (const f of queryFiles) {
    for (const q of readExportFile(f).queries) {
      queries.set(q.id, { q, file: f });
      if (q.period > 0) periods.add(q.period);
    }
  }
  const warnings: string[] = [];
  const unidentified: string[] = [];
  for (const e of exports) for (const m of e.messages) warnings.push(`${e.file}: ${m}`);

  // Group by metric and statistic; inside, by Id (pages of one get-metric-data series) or by file.
  const groups = new Map<string, { metric: AwsMetric; stat: string; by: Set<string>; assumed: boolean; parts: Map<string, RawSeries[]> }>();
  for (const e of exports) {
    for (const raw of e.series) {
      const who = identify(raw, queries, mapping);
      if (typeof who === 'string') {
        unidentified.push(`${where(raw)} (${raw.at}): ${who}`);
        continue;
      }
      const k = `${who.metric.name}|${who.stat}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { metric: who.metric, stat: who.stat, by: new Set(), assumed: false, parts: new Map() }));
      g.by.add(who.by);
      g.assumed ||= who.assumed;
      const part = raw.id ? `id:${raw.id}` : `file:${raw.file}`;
      g.parts.set(part, [...(g.parts.get(part) ?? []), raw]);
    }
  }

  const series: Series[] = [];
  const assumed: string[] = [];
  for (const g of groups.values()) {
    const parts = [...g.parts.values()].map((raws) => joinPages(raws));
    // Two series of one metric and statistic (per Availability Zone, per target group) would be
    // added or averaged wrongly: capsim reads one for the whole balancer.
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        const a = new Set(parts[i]!.times);
        if (parts[j]!.times.some((t) => a.has(t))) {
          throw new CloudWatchInputError(
            `${parts[i]!.sources[0]} and ${parts[j]!.sources[0]}: two series of ${g.metric.name} (${g.stat}) at the same times: capsim reads one per metric and statistic, for the whole load balancer (export without the AvailabilityZone dimension, or sum them with a metric math expression)${g.assumed ? `; or they are ${g.metric.name} with different statistics and Labels that name none (CloudWatch's default Label is the metric's name): give the queries file beside the export or --cloudwatch-id` : ''}`,
          );
        }
      }
    }
    const joined = joinPages(parts.flatMap((p) => p.raws));
    if (g.assumed) assumed.push(`${g.metric.name} as ${g.stat}`);
    if (g.assumed && g.metric.nature === 'count' && g.stat === 'Sum') {
      const k = joined.values.findIndex((v) => !Number.isInteger(v));
      if (k >= 0) {
        throw new CloudWatchInputError(
          `${joined.sources[0]}: value ${joined.values[k]} at ${iso(joined.times[k]!)} is not a whole number: not the Sum of ${g.metric.name}, and nothing names the statistic; name it with --cloudwatch-id, a Label such as "${g.metric.name} Sum", or the queries file beside the export`,
        );
      }
    }
    if (joined.partial) warnings.push(`${joined.sources.join(', ')}: ${g.metric.name} (${g.stat}): StatusCode PartialData: CloudWatch returned part of the series (the rest needs the next page, NextToken); used the ${joined.times.length} points present, and only between its first and last`);
    series.push({ metric: g.metric, stat: g.stat, sources: joined.sources, identifiedBy: [...g.by].join(', '), assumedStat: g.assumed, times: joined.times, values: joined.values, partial: joined.partial });
  }
  if (assumed.length > 0) {
    warnings.push(
      `no statistic named (get-metric-data's default Label is the metric's name alone), read by each metric's usual one: ${assumed.join(', ')}; if one is not, say so with --cloudwatch-id ID=METRIC:STAT, a Label such as "RequestCount Sum", or the queries file beside the export`,
    );
  }
  series.sort((a, b) => AWS_METRICS.indexOf(a.metric) - AWS_METRICS.indexOf(b.metric) || (a.stat < b.stat ? -1 : a.stat > b.stat ? 1 : 0));

  const usable = series.filter((s) => s.times.length > 0);
  if (usable.length === 0) {
    const found = [...series.map((s) => `${s.sources.join(', ')}: ${s.metric.name} (${s.stat}), no data points`), ...unidentified];
    throw new CloudWatchInputError(`${files.join(' ')}: no usable series: expected ${CLOUDWATCH_EXPECTED} with data points; found ${found.length === 0 ? 'no series at all' : found.join('; ')}`);
  }
  const { period, periodFrom } = inferPeriod(usable, periods);
  const start = Math.min(...usable.map((s) => s.times[0]!));
  const end = Math.max(...usable.map((s) => s.times[s.times.length - 1]!));
  checkGrid(usable, start, period);
  return { files: [...files], series, period, periodFrom, start, end, slots: Math.round((end - start) / period) + 1, warnings, unidentified };
}

/** Pages of one series joined: time order, duplicates (overlapping pages) removed when equal. */
function joinPages(raws: RawSeries[]): { times: number[]; values: number[]; partial: boolean; sources: string[]; raws: RawSeries[] } {
  const points: [number, number, RawSeries][] = [];
  for (const r of raws) for (let i = 0; i < r.times.length; i++) points.push([r.times[i]!, r.values[i]!, r]);
  points.sort((a, b) => a[0] - b[0]);
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const [t, v, r] = points[i]!;
    if (i > 0 && points[i - 1]![0] === t) {
      if (points[i - 1]![1] !== v) throw new CloudWatchInputError(`${where(r)}: two values at ${iso(t)} (${points[i - 1]![1]} in ${where(points[i - 1]![2])}, ${v} here): the same series twice with different data`);
      continue;
    }
    times.push(t);
    values.push(v);
  }
  const partial = raws.some((r) => r.status === 'PartialData') && !raws.some((r) => r.status === 'Complete' && r.id !== '');
  const sources = [...new Set(raws.map(where))];
  return { times, values, partial, sources, raws };
}

/** The spacing of the data points: the smallest over all series (a sparse count skips periods). */
function inferPeriod(series: Series[], fromQueries: Set<number>): { period: number; periodFrom: string } {
  let min = Infinity;
  let at: Series | undefined;
  for (const s of series) {
    for (let i = 1; i < s.times.length; i++) {
      const d = s.times[i]! - s.times[i - 1]!;
      if (d > 0 && d < min) {
        min = d;
        at = s;
      }
    }
  }
  if (fromQueries.size > 1) throw new CloudWatchInputError(`the queries ask for several periods (${[...fromQueries].join(', ')} s): export one period at a time`);
  const q = [...fromQueries][0];
  if (q !== undefined) {
    if (Number.isFinite(min) && Math.abs(min / q - Math.round(min / q)) > 1e-6) {
      throw new CloudWatchInputError(`${at!.sources[0]}: data points ${min} s apart, but the queries ask for a period of ${q} s`);
    }
    return { period: q, periodFrom: 'the queries file' };
  }
  if (!Number.isFinite(min)) {
    throw new CloudWatchInputError(`${series.map((s) => s.sources[0]).join(', ')}: one data point per series: the period cannot be told from the time stamps (give the queries file beside the export, or a longer export)`);
  }
  return { period: Math.round(min * 1000) / 1000, periodFrom: `the time stamps (the closest two, in ${at!.metric.name}, are ${min} s apart)` };
}

/** Every point on the grid; a dense count series with a coarser period is another export's. */
function checkGrid(series: Series[], start: number, period: number): void {
  for (const s of series) {
    for (let i = 0; i < s.times.length; i++) {
      const k = (s.times[i]! - start) / period;
      if (Math.abs(k - Math.round(k)) > 1e-6) {
        throw new CloudWatchInputError(
          `${s.sources[0]}: ${s.metric.name} has a data point at ${iso(s.times[i]!)}, not a whole number of ${period}-second periods after the export's first (${iso(start)}): the series have different periods or offsets; export them with one --period and aligned start times`,
        );
      }
    }
    if (s.times.length >= 6) {
      const gaps = new Set<number>();
      for (let i = 1; i < s.times.length; i++) gaps.add(Math.round((s.times[i]! - s.times[i - 1]!) / period));
      if (gaps.size === 1 && [...gaps][0]! > 1) {
        throw new CloudWatchInputError(
          `${s.sources[0]}: ${s.metric.name}'s data points are all ${[...gaps][0]! * period} s apart while others are ${period} s apart: the series have different periods; export them with one --period`,
        );
      }
    }
  }
}

export function iso(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The series on the export's grid (one value per period from start to end). A count is zero
 * where CloudWatch sent nothing (it sends the metric only while requests flow) — but only
 * between a partial series' own first and last points; a gauge is NaN where it has no point.
 */
export function onGrid(s: Series, data: CloudWatchData): Float64Array {
  const g = new Float64Array(data.slots).fill(s.metric.nature === 'count' && s.stat === 'Sum' ? 0 : NaN);
  if (s.partial && s.times.length === 0) g.fill(NaN);
  if (s.partial && s.times.length > 0) {
    const a = Math.round((s.times[0]! - data.start) / data.period);
    const b = Math.round((s.times[s.times.length - 1]! - data.start) / data.period);
    for (let i = 0; i < g.length; i++) if (i < a || i > b) g[i] = NaN;
  }
  for (let i = 0; i < s.times.length; i++) g[Math.round((s.times[i]! - data.start) / data.period)] = s.values[i]!;
  return g;
}

/** The series of a metric and statistic, if the export has it. */
export function find(data: CloudWatchData, metric: string, stat: string): Series | undefined {
  return data.series.find((s) => s.metric.name === metric && s.stat === stat);
}
