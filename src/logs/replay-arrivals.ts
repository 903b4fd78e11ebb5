// A log's requests as arrivals to replay: each request's arrival time (s after the log's first
// arrival) and endpoint (the model's endpoint named like its path pattern, as calibrate names
// them; else one named "(other)"; else -1: drawn by weight), sorted by arrival. Loaded once per
// process and file (replications share it), in two typed arrays: 12 bytes a request.
import { statSync } from 'node:fs';
import { pathPattern } from '../calibrate/path-patterns.js';
import { forEachLineSync } from './line-source-sync.js';
import { detectFormat, FORMAT_LABELS, LogFormatError, parserFor, type FormatName } from './formats.js';
import { LogRecord } from './record.js';

export interface ReplayArrivals {
  /** Seconds after the first arrival, ascending. */
  times: Float64Array;
  /** Endpoint index per arrival, or -1 (drawn by weight). */
  endpoints: Int32Array;
  /** Epoch seconds of the first arrival. */
  start: number;
  /** Requests whose path matched no endpoint by name (drawn by weight, or "(other)"). */
  unmatched: number;
  malformed: number;
  format: FormatName;
}

const cache = new Map<string, ReplayArrivals>();

export function replayArrivals(file: string, format: FormatName | 'auto', endpointNames: string[]): ReplayArrivals {
  const st = statSync(file);
  const key = `${file}\0${st.size}\0${st.mtimeMs}\0${format}\0${endpointNames.join('\0')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let fmt: FormatName;
  if (format === 'auto') {
    const head: string[] = [];
    try {
      forEachLineSync(file, (l) => {
        if (l !== '') head.push(l);
        if (head.length >= 20) throw STOP;
      });
    } catch (e) {
      if (e !== STOP) throw e;
    }
    const found = detectFormat(head);
    if (found === null) throw new LogFormatError(`${file}: cannot tell the log format of traffic.replay: its first lines fit none of alb, elb, nginx, gunicorn, uwsgi`);
    fmt = found;
  } else fmt = format;
  const parse = parserFor(fmt);
  const byName = new Map(endpointNames.map((n, i) => [n, i]));
  const other = byName.get('(other)') ?? -1;
  let times: number[] = [];
  let eps: number[] = [];
  let malformed = 0;
  let lines = 0;
  let unmatched = 0;
  let firstBad = '';
  const rec = new LogRecord();
  forEachLineSync(file, (line, n) => {
    if (line === '') return;
    lines++;
    rec.clear();
    const why = parse(line, rec);
    const t = rec.start === rec.start ? rec.start : rec.end;
    if (why !== null || t !== t) {
      malformed++;
      if (firstBad === '') firstBad = `line ${n}: ${why ?? 'no time'}`;
      return;
    }
    if (rec.path === '') return;
    const e = byName.get(pathPattern(rec.path));
    if (e === undefined) unmatched++;
    times.push(t);
    eps.push(e ?? other);
  });
  if (malformed * 2 > lines || times.length === 0) {
    throw new LogFormatError(`${file}: ${malformed} of ${lines} lines are not ${FORMAT_LABELS[fmt]} (traffic.replay)${firstBad ? `; first bad ${firstBad}` : ''}`);
  }
  const order = Array.from(times.keys()).sort((a, b) => times[a]! - times[b]! || a - b);
  const start = times[order[0]!]!;
  const out: ReplayArrivals = {
    times: Float64Array.from(order, (i) => times[i]! - start),
    endpoints: Int32Array.from(order, (i) => eps[i]!),
    start,
    unmatched,
    malformed,
    format: fmt,
  };
  times = [];
  eps = [];
  cache.clear(); // one replayed log per process at a time: bounded memory
  cache.set(key, out);
  return out;
}

const STOP = new Error('stop');
