// Read access logs of one format, file after file, handing each request to a callback.
// Malformed lines never stop the run and never pass silently: they are counted, the first few
// kept with file, line number and reason. A file mostly made of them is the wrong format (or
// no log at all): that stops the run with exit 2, naming the format expected and the first bad
// line — after its first 1,000 lines already, not at the end of a gigabyte.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { FORMAT_LABELS, LogFormatError, detectFormat, parserFor, type FormatName } from './formats.js';
import { forEachLine, isGzip } from './line-source.js';
import { logFiles } from './log-files.js';
import { LogRecord } from './record.js';
import { formatDecimal } from '../report/format.js';

export interface BadLine {
  file: string;
  line: number;
  reason: string;
  /** The line, cut at 200 characters. */
  text: string;
}

export interface LogReadSummary {
  format: FormatName;
  /** How the format was chosen. */
  formatFrom: 'given' | 'detected';
  files: string[];
  lines: number;
  /** Lines that gave a request. */
  records: number;
  /** Well-formed entries without an HTTP request (a Classic ELB's TCP listener lines). */
  withoutRequest: number;
  blank: number;
  malformed: number;
  /** The first malformed lines (at most SAMPLES). */
  samples: BadLine[];
  /** Files that grew while they were read (still being written): read as they were when opened. */
  grew?: { file: string; bytesRead: number; bytesNow: number }[];
  /** Empty files among them (counted, nothing to read). */
  empty?: number;
}

export interface ReadOptions {
  format: FormatName | 'auto';
  /** An nginx log_format or gunicorn access_log_format string. */
  logFormat?: string;
}

const SAMPLES = 5;
const DETECT_LINES = 20;
/** Lines after which a file that is mostly malformed is given up on. */
const EARLY_CHECK = 1000;

export async function readLogs(inputs: string[], opts: ReadOptions, onRecord: (rec: LogRecord) => void): Promise<LogReadSummary> {
  const files = logFiles(inputs);
  let format: FormatName;
  let formatFrom: LogReadSummary['formatFrom'] = 'given';
  if (opts.format === 'auto') {
    // The first file with a line tells the format (an empty file tells nothing).
    let head: string[] = [];
    let from = files[0]!;
    for (const f of files) {
      from = f;
      head = await firstLines(f, DETECT_LINES);
      if (head.length > 0) break;
    }
    if (head.length === 0) throw allEmpty(inputs, files);
    const found = opts.logFormat === undefined ? detectFormat(head) : null;
    if (found === null) {
      const why = opts.logFormat !== undefined ? '--log-format needs --format nginx or gunicorn' : `its first lines fit none of the formats capsim reads (alb, elb, nginx, gunicorn, uwsgi)`;
      throw new LogFormatError(`${from}: cannot tell the log format: ${why}; first line: ${cut(head[0]!)}`);
    }
    format = found;
    formatFrom = 'detected';
  } else format = opts.format;
  const parse = parserFor(format, opts.logFormat);
  const summary: LogReadSummary = { format, formatFrom, files, lines: 0, records: 0, withoutRequest: 0, blank: 0, malformed: 0, samples: [] };
  const rec = new LogRecord();
  for (const file of files) {
    let bad = 0;
    let nonBlank = 0;
    let first: BadLine | null = null;
    const giveUp = () => {
      const label = opts.logFormat !== undefined ? `the given --log-format` : FORMAT_LABELS[format];
      return new LogFormatError(
        `${file}: ${bad} of ${nonBlank} lines are not ${label} (--format ${format}${formatFrom === 'detected' ? ', detected from the first file' : ''}); ` +
          `first bad line ${first!.line}: ${first!.reason}: ${first!.text}`,
      );
    };
    const lines = await forEachLine(file, (line, n) => {
      if (line.length === 0) {
        summary.blank++;
        return;
      }
      nonBlank++;
      rec.clear();
      const why = parse(line, rec);
      if (why !== null) {
        bad++;
        summary.malformed++;
        const b = { file, line: n, reason: why, text: cut(line) };
        first ??= b;
        if (summary.samples.length < SAMPLES) summary.samples.push(b);
        if (nonBlank === EARLY_CHECK && bad * 2 > nonBlank) throw giveUp();
        return;
      }
      if (nonBlank === EARLY_CHECK && bad * 2 > nonBlank) throw giveUp();
      if (rec.path === '') {
        summary.withoutRequest++;
        return;
      }
      summary.records++;
      onRecord(rec);
    }, (atOpen, now) => (summary.grew ??= []).push({ file, bytesRead: atOpen, bytesNow: now }));
    summary.lines += lines;
    if (lines === 0) summary.empty = (summary.empty ?? 0) + 1;
    if (bad * 2 > nonBlank && nonBlank > 0) throw giveUp();
  }
  if (summary.lines === summary.blank) throw allEmpty(inputs, files);
  return summary;
}

/** exit 2: nothing to read in any of the files. */
function allEmpty(inputs: string[], files: string[]): LogFormatError {
  const what = files.length === 1 ? `${files[0]}: empty file` : `${inputs.join(' ')}: all ${formatDecimal(files.length, 3)} files are empty or blank`;
  return new LogFormatError(`${what}; expected access log lines`);
}

function cut(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The first n lines of a file (plain or gzip), reading no more of it than needed. */
async function firstLines(file: string, n: number): Promise<string[]> {
  const raw = createReadStream(file, { highWaterMark: 64 * 1024 });
  const stream = isGzip(file) ? raw.pipe(createGunzip()) : raw;
  let text = '';
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString('utf8');
      if (text.split('\n').length > n) break;
    }
  } catch {
    // a corrupt file: the full read reports it with its line
  } finally {
    raw.destroy();
  }
  return text
    .split('\n')
    .slice(0, n)
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l.length > 0);
}
