// The log formats capsim reads, by name, and how `--format auto` tells them apart.
import { parseAlb } from './alb.js';
import { parseElb } from './elb.js';
import { GUNICORN_TIMED, gunicornParser } from './gunicorn.js';
import { NGINX_TIMED, nginxParser, nginxTimedParser } from './nginx.js';
import { LogRecord, type LineParser } from './record.js';
import { parseUwsgi } from './uwsgi.js';

export const FORMATS = ['alb', 'elb', 'nginx', 'gunicorn', 'uwsgi'] as const;
export type FormatName = (typeof FORMATS)[number];

/** What each format is, for messages: "expected an ALB access log (...)". */
export const FORMAT_LABELS: Record<FormatName, string> = {
  alb: 'an AWS Application Load Balancer access log',
  elb: 'an AWS Classic Load Balancer access log',
  nginx: `an nginx access log (log_format '${NGINX_TIMED}', the last 3 fields optional)`,
  gunicorn: `a gunicorn access log (access_log_format '${GUNICORN_TIMED}')`,
  uwsgi: "uWSGI's default request log",
};

/** Does the format's log carry the balancer's view (statuses of failed requests, targets)? */
export const BALANCER_FORMATS: ReadonlySet<FormatName> = new Set(['alb', 'elb', 'nginx']);

export class LogFormatError extends Error {
  readonly exitCode = 2;
}

/** The parser for a format; logFormat is the user's nginx log_format or gunicorn access_log_format string. */
export function parserFor(format: FormatName, logFormat?: string): LineParser {
  if (logFormat !== undefined && format !== 'nginx' && format !== 'gunicorn') {
    throw new LogFormatError(`--log-format goes with --format nginx or gunicorn (a ${format} log has a fixed layout)`);
  }
  try {
    switch (format) {
      case 'alb':
        return parseAlb;
      case 'elb':
        return parseElb;
      case 'nginx':
        return logFormat !== undefined ? nginxParser(logFormat) : nginxTimedParser();
      case 'gunicorn':
        return gunicornParser(logFormat ?? GUNICORN_TIMED);
      case 'uwsgi':
        return parseUwsgi;
    }
  } catch (e) {
    throw new LogFormatError(`--log-format ${JSON.stringify(logFormat)}: ${(e as Error).message}`);
  }
}

/**
 * The format most of these lines fit (the first lines of a log), or null when none fits at
 * least half of them. Formats are tried in a fixed order; a tie goes to the earlier one.
 */
export function detectFormat(lines: string[]): FormatName | null {
  const rec = new LogRecord();
  let best: FormatName | null = null;
  let bestFit = 0;
  for (const name of FORMATS) {
    const parse = parserFor(name);
    let fit = 0;
    for (const l of lines) {
      rec.clear();
      if (parse(l, rec) === null) fit++;
    }
    if (fit > bestFit) {
      best = name;
      bestFit = fit;
    }
  }
  return bestFit * 2 >= lines.length && bestFit > 0 ? best : null;
}

export function isFormatName(s: string): s is FormatName {
  return (FORMATS as readonly string[]).includes(s);
}
