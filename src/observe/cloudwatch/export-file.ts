// One file of a CloudWatch export, as the AWS CLI writes it with --output json (or an SDK dumps
// it): `aws cloudwatch get-metric-data` ({"MetricDataResults": [{"Id", "Label", "Timestamps",
// "Values", "StatusCode"}], "NextToken", "Messages"}; several pages may be concatenated in one
// file) or `aws cloudwatch get-metric-statistics` ({"Label", "Datapoints": [{"Timestamp", "Sum" |
// "Average" | … | "ExtendedStatistics": {"p99": …}, "Unit"}]}, in no order). A file that holds the
// MetricDataQueries a get-metric-data call was given (an array, or {"MetricDataQueries": […]} as
// --cli-input-json has it) is read as such: it says which metric and statistic each Id is.
import { readFileSync, statSync } from 'node:fs';

/** The largest export read (a get-metric-data call returns at most 100,800 points; a page is far smaller). */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

export class CloudWatchInputError extends Error {
  readonly exitCode = 2;
}

/** One series as a file holds it: a get-metric-data result, or one statistic of get-metric-statistics. */
export interface RawSeries {
  file: string;
  /** Key path of the series in the file, for messages: "MetricDataResults.2", "Datapoints[*].Sum". */
  at: string;
  /** get-metric-data's Id; '' for get-metric-statistics. */
  id: string;
  label: string;
  /** The statistic when the file says it (get-metric-statistics); '' otherwise. */
  stat: string;
  /** Epoch seconds and values, in the file's order. */
  times: number[];
  values: number[];
  status: 'Complete' | 'PartialData';
  /** The unit the file states (get-metric-statistics' Unit), '' when none. */
  unit: string;
}

export interface QuerySpec {
  id: string;
  metric: string;
  stat: string;
  period: number;
  label: string;
}

export interface ExportFile {
  file: string;
  api: 'get-metric-data' | 'get-metric-statistics' | 'queries';
  series: RawSeries[];
  queries: QuerySpec[];
  /** Messages CloudWatch attached (top level and per result), and NextToken left unfollowed. */
  messages: string[];
}

const EXPECTED = 'expected the JSON output of `aws cloudwatch get-metric-data` ({"MetricDataResults": […]}) or `get-metric-statistics` ({"Label", "Datapoints": […]})';

const fail = (file: string, what: string): never => {
  throw new CloudWatchInputError(`${file}: ${what}`);
};

/** Does this text (a file's start) look like a CloudWatch export or its queries? */
export function looksLikeExport(head: string): boolean {
  const t = head.trimStart();
  return (t.startsWith('{') || t.startsWith('[')) && /"(MetricDataResults|Datapoints|MetricDataQueries|MetricStat)"\s*:/.test(t);
}

export function readExportFile(file: string): ExportFile {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return fail(file, 'no such file');
  }
  if (size > MAX_EXPORT_BYTES) fail(file, `${size} bytes: larger than the ${MAX_EXPORT_BYTES / 1024 / 1024} MiB read at most (split the export by time or metric)`);
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') fail(file, `empty file: ${EXPECTED}`);
  const docs = jsonDocuments(text, file);
  const out: ExportFile = { file, api: 'get-metric-data', series: [], queries: [], messages: [] };
  const kinds = new Set<string>();
  docs.forEach((doc, page) => {
    const where = docs.length > 1 ? `document ${page + 1}: ` : '';
    const kind = readDocument(doc, file, where, out);
    kinds.add(kind);
  });
  if (kinds.size > 1) fail(file, `mixes ${[...kinds].join(' and ')} output: one kind per file`);
  out.api = [...kinds][0] as ExportFile['api'];
  return out;
}

function readDocument(doc: unknown, file: string, where: string, out: ExportFile): string {
  if (Array.isArray(doc)) {
    if (doc.length > 0 && doc.every((q) => isObject(q) && 'Id' in q && ('MetricStat' in q || 'Expression' in q))) {
      readQueries(doc, file, `${where}`, out);
      return 'queries';
    }
    return fail(file, `${where}a JSON array that is not a list of MetricDataQueries: ${EXPECTED}`);
  }
  if (!isObject(doc)) return fail(file, `${where}not a JSON object: ${EXPECTED}`);
  if ('MetricDataResults' in doc) {
    readMetricData(doc, file, where, out);
    return 'get-metric-data';
  }
  if ('Datapoints' in doc) {
    readStatistics(doc, file, where, out);
    return 'get-metric-statistics';
  }
  if ('MetricDataQueries' in doc && Array.isArray(doc['MetricDataQueries'])) {
    readQueries(doc['MetricDataQueries'], file, `${where}MetricDataQueries.`, out);
    return 'queries';
  }
  const keys = Object.keys(doc).slice(0, 5).join(', ');
  return fail(file, `${where}a JSON object with ${keys ? `keys ${keys}` : 'no keys'}: ${EXPECTED}`);
}

function readMetricData(doc: Record<string, unknown>, file: string, where: string, out: ExportFile): void {
  const results = doc['MetricDataResults'];
  if (!Array.isArray(results)) fail(file, `${where}MetricDataResults: expected an array, got ${typeName(results)}`);
  for (const m of messagesOf(doc['Messages'])) out.messages.push(`${where}Messages: ${m}`);
  if (typeof doc['NextToken'] === 'string' && doc['NextToken'] !== '') out.messages.push(`${where}NextToken present: CloudWatch had more data than this page (give the next pages too)`);
  (results as unknown[]).forEach((r, i) => {
    const at = `${where}MetricDataResults.${i}`;
    if (!isObject(r)) fail(file, `${at}: expected an object, got ${typeName(r)}`);
    const res = r as Record<string, unknown>;
    const status = res['StatusCode'] ?? 'Complete';
    if (status === 'Forbidden' || status === 'InternalError') {
      fail(file, `${at}.StatusCode: ${status} (Id ${JSON.stringify(res['Id'] ?? '')}): CloudWatch did not return this series${status === 'Forbidden' ? ' (the credentials may not read it)' : ' (retry the call)'}; expected Complete or PartialData`);
    }
    if (status !== 'Complete' && status !== 'PartialData') fail(file, `${at}.StatusCode: ${JSON.stringify(status)}: expected Complete, PartialData, InternalError or Forbidden`);
    const ts = res['Timestamps'] ?? [];
    const vs = res['Values'] ?? [];
    if (!Array.isArray(ts)) fail(file, `${at}.Timestamps: expected an array, got ${typeName(ts)}`);
    if (!Array.isArray(vs)) fail(file, `${at}.Values: expected an array, got ${typeName(vs)}`);
    const tsa = ts as unknown[];
    const vsa = vs as unknown[];
    if (tsa.length !== vsa.length) fail(file, `${at}: ${tsa.length} Timestamps but ${vsa.length} Values: expected as many of each`);
    const times = tsa.map((t, k) => timeOf(t, file, `${at}.Timestamps.${k}`));
    const values = vsa.map((v, k) => numberOf(v, file, `${at}.Values.${k}`));
    for (const m of messagesOf(res['Messages'])) out.messages.push(`${at}.Messages: ${m}`);
    out.series.push({
      file,
      at,
      id: typeof res['Id'] === 'string' ? res['Id'] : '',
      label: typeof res['Label'] === 'string' ? res['Label'] : '',
      stat: '',
      times,
      values,
      status: status as RawSeries['status'],
      unit: '',
    });
  });
}

const STATISTICS = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'] as const;

function readStatistics(doc: Record<string, unknown>, file: string, where: string, out: ExportFile): void {
  const points = doc['Datapoints'];
  if (!Array.isArray(points)) fail(file, `${where}Datapoints: expected an array, got ${typeName(points)}`);
  const label = typeof doc['Label'] === 'string' ? doc['Label'] : '';
  const byStat = new Map<string, RawSeries>();
  let unit = '';
  (points as unknown[]).forEach((p, i) => {
    const at = `${where}Datapoints.${i}`;
    if (!isObject(p)) fail(file, `${at}: expected an object, got ${typeName(p)}`);
    const d = p as Record<string, unknown>;
    const t = timeOf(d['Timestamp'], file, `${at}.Timestamp`);
    if (typeof d['Unit'] === 'string') unit = d['Unit'];
    const add = (stat: string, v: unknown, path: string) => {
      let s = byStat.get(stat);
      if (!s) byStat.set(stat, (s = { file, at: `${where}Datapoints[*].${stat.startsWith('p') ? `ExtendedStatistics.${stat}` : stat}`, id: '', label, stat, times: [], values: [], status: 'Complete', unit: '' }));
      s.times.push(t);
      s.values.push(numberOf(v, file, path));
    };
    for (const stat of STATISTICS) if (d[stat] !== undefined) add(stat, d[stat], `${at}.${stat}`);
    const ext = d['ExtendedStatistics'];
    if (ext !== undefined) {
      if (!isObject(ext)) fail(file, `${at}.ExtendedStatistics: expected an object like {"p99": 0.25}, got ${typeName(ext)}`);
      for (const [k, v] of Object.entries(ext as Record<string, unknown>)) add(k, v, `${at}.ExtendedStatistics.${k}`);
    }
  });
  for (const s of byStat.values()) out.series.push({ ...s, unit });
  if (byStat.size === 0) out.series.push({ file, at: `${where}Datapoints`, id: '', label, stat: '', times: [], values: [], status: 'Complete', unit });
}

function readQueries(list: unknown[], file: string, prefix: string, out: ExportFile): void {
  list.forEach((q, i) => {
    const at = `${prefix}${i}`;
    if (!isObject(q)) fail(file, `${at}: expected an object, got ${typeName(q)}`);
    const r = q as Record<string, unknown>;
    if (typeof r['Id'] !== 'string') fail(file, `${at}.Id: expected a string`);
    const ms = r['MetricStat'];
    if (!isObject(ms)) return; // an expression: nothing says which metric it is
    const m = (ms as Record<string, unknown>)['Metric'];
    const name = isObject(m) ? (m as Record<string, unknown>)['MetricName'] : undefined;
    if (typeof name !== 'string') fail(file, `${at}.MetricStat.Metric.MetricName: expected a string`);
    const stat = (ms as Record<string, unknown>)['Stat'];
    if (typeof stat !== 'string') fail(file, `${at}.MetricStat.Stat: expected a string such as Sum, Average or p99`);
    const period = (ms as Record<string, unknown>)['Period'];
    out.queries.push({ id: r['Id'] as string, metric: name as string, stat: stat as string, period: typeof period === 'number' ? period : 0, label: typeof r['Label'] === 'string' ? r['Label'] : '' });
  });
}

/**
 * Epoch seconds from an ISO-8601 time with a zone ("2026-12-07T10:00:00Z", "…+00:00", as the CLI
 * writes them) or from epoch seconds or milliseconds (numbers, as SDKs dump them; milliseconds
 * from 1e11 up, which as seconds would be past the year 5000).
 */
export function timeOf(v: unknown, file: string, at: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v >= 1e11 ? v / 1000 : v;
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(v.trim())) {
    const t = Date.parse(v.trim().replace(' ', 'T').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    if (Number.isFinite(t)) return t / 1000;
  }
  return fail(file, `${at}: ${JSON.stringify(v)}: expected an ISO-8601 time with its zone (2026-12-07T10:00:00Z or +00:00) or epoch seconds or milliseconds`);
}

function numberOf(v: unknown, file: string, at: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return fail(file, `${at}: ${JSON.stringify(v)}: expected a number`);
}

function messagesOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((m) => (isObject(m) ? `${(m as Record<string, unknown>)['Code'] ?? ''} ${(m as Record<string, unknown>)['Value'] ?? ''}`.trim() : String(m)));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60);
}

/**
 * The JSON documents in a text: one, or several written one after another (pages of
 * get-metric-data appended to one file). Split at the top level, outside strings.
 */
export function jsonDocuments(text: string, file: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth < 0) fail(file, `unbalanced JSON at character ${i + 1}: ${EXPECTED}`);
      if (depth === 0) docs.push(parseOne(text.slice(start, i + 1), file, docs.length));
    } else if (depth === 0 && c > 32) {
      fail(file, `not JSON (${JSON.stringify(text.slice(i, i + 40))} at character ${i + 1}): ${EXPECTED}`);
    }
  }
  if (depth !== 0) fail(file, `the JSON ends before its last ${text.trimEnd().endsWith(',') ? 'value' : 'bracket'} closes (a truncated file?): ${EXPECTED}`);
  return docs;
}

function parseOne(text: string, file: string, index: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(file, `document ${index + 1} is not valid JSON (${(e as Error).message}): ${EXPECTED}`);
  }
}
