// nginx access logs (ngx_http_log_module). The predefined format, from the module's docs
// (nginx.org/en/docs/http/ngx_http_log_module.html#log_format):
//   log_format combined '$remote_addr - $remote_user [$time_local] '
//                       '"$request" $status $body_bytes_sent '
//                       '"$http_referer" "$http_user_agent"';
// capsim's `nginx` format is combined followed by up to three more fields that people add for
// timing, in this order: $request_time $upstream_response_time $upstream_addr (what `capsim run
// --access-log nginx` writes). Any other layout: pass its log_format string with --log-format.
// Variables read: $time_local, $time_iso8601 or $msec (the time of the log write, which nginx
// does at the end of the request), $request (or $request_method with $request_uri / $uri),
// $status, $request_time (s, ms resolution: from the first byte read from the client to the log
// write), $upstream_response_time, $upstream_addr, $upstream_status (ngx_http_upstream_module:
// lists, ", " between servers tried, " : " across internal redirects; the last entry is the
// server that answered; "-" when no upstream was reached).
import { pathOf, seconds, statusOf, type LineParser, type LogRecord } from './record.js';
import { NGINX_VARIABLE, compileTemplate, lastOfList, matchTemplate, type Template } from './template.js';
import { clfSeconds, isoSeconds } from './time-formats.js';

export const NGINX_COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
/** What capsim writes and reads as `--format nginx` (combined, then the timing fields). */
export const NGINX_TIMED = `${NGINX_COMBINED} $request_time $upstream_response_time $upstream_addr`;

/** A parser for one log_format string. */
export function nginxParser(format: string): LineParser {
  const t = compileTemplate(format, NGINX_VARIABLE);
  const known = new Set(['time_local', 'time_iso8601', 'msec', 'request', 'request_method', 'request_uri', 'uri', 'status', 'request_time', 'upstream_response_time', 'upstream_addr', 'upstream_status']);
  const hasTime = t.vars.some((v) => v === 'time_local' || v === 'time_iso8601' || v === 'msec');
  const hasRequest = t.vars.includes('request') || t.vars.includes('request_uri') || t.vars.includes('uri');
  if (!hasTime || !hasRequest || !t.vars.includes('status')) {
    throw new Error('the log_format needs a time ($time_local, $time_iso8601 or $msec), the request ($request, $request_uri or $uri) and $status');
  }
  const values: string[] = new Array<string>(t.vars.length).fill('');
  const multi = (i: number) => t.vars[i]!.startsWith('upstream_');
  const used = t.vars.map((v) => (known.has(v) ? v : ''));
  return (line, rec) => {
    const bad = matchTemplate(t, line, values, multi);
    if (bad !== null) return `does not fit the log_format at ${describe(t, bad)}`;
    return fill(used, values, rec);
  };
}

/** The built-in `nginx` format: combined with 3, 2, 1 or none of the timing fields after it. */
export function nginxTimedParser(): LineParser {
  const extra = ['$request_time', '$upstream_response_time', '$upstream_addr'];
  const variants = [3, 2, 1, 0].map((n) => nginxParser([NGINX_COMBINED, ...extra.slice(0, n)].join(' ')));
  return (line, rec) => {
    let why: string | null = null;
    for (const v of variants) {
      const r = v(line, rec);
      if (r === null) return null;
      why ??= r;
    }
    return why;
  };
}

function describe(t: Template, literal: number): string {
  const after = literal > 0 ? ` after $${t.vars[literal - 1]}` : '';
  return `the text ${JSON.stringify(t.literals[literal])}${after}`;
}

function fill(used: string[], values: string[], rec: LogRecord): string | null {
  let method = '';
  let uri = '';
  for (let i = 0; i < used.length; i++) {
    const v = values[i]!;
    switch (used[i]) {
      case 'time_local':
        rec.end = clfSeconds(v);
        if (rec.end !== rec.end) return `$time_local: expected a time such as 10/Oct/2000:13:55:36 -0700, got ${JSON.stringify(v)}`;
        break;
      case 'time_iso8601':
        rec.end = isoSeconds(v);
        if (rec.end !== rec.end) return `$time_iso8601: expected a time such as 2000-10-10T13:55:36-07:00, got ${JSON.stringify(v)}`;
        break;
      case 'msec':
        rec.end = seconds(v);
        if (rec.end !== rec.end) return `$msec: expected seconds since the epoch, got ${JSON.stringify(v)}`;
        break;
      case 'request': {
        const a = v.indexOf(' ');
        const b = v.lastIndexOf(' ');
        if (a <= 0) return `$request: expected "METHOD URI PROTOCOL", got ${JSON.stringify(v.slice(0, 80))}`;
        method = v.slice(0, a);
        uri = v.slice(a + 1, b > a ? b : v.length);
        break;
      }
      case 'request_method':
        method = v;
        break;
      case 'request_uri':
      case 'uri':
        uri = v;
        break;
      case 'status':
        rec.status = statusOf(v);
        if (rec.status <= 0) return `$status: expected a 3-digit status, got ${JSON.stringify(v)}`;
        break;
      case 'request_time':
        // nginx writes it as %T.%03M: always with the millisecond part (which also tells it
        // from gunicorn's integer %(D)s in the same position).
        if (v.indexOf('.') < 0) return `$request_time: expected seconds with milliseconds, such as 0.012, got ${JSON.stringify(v)}`;
        rec.total = seconds(v);
        break;
      case 'upstream_response_time':
        rec.targetTime = seconds(lastOfList(v));
        break;
      case 'upstream_addr': {
        const a = lastOfList(v);
        rec.target = a === '-' ? '' : a;
        break;
      }
      case 'upstream_status': {
        const s = statusOf(lastOfList(v));
        rec.targetStatus = s > 0 ? s : 0;
        break;
      }
    }
  }
  rec.method = method;
  rec.path = pathOf(uri);
  // Without $upstream_status: a response with an upstream time came from the upstream.
  if (!used.includes('upstream_status') && rec.targetTime === rec.targetTime) rec.targetStatus = rec.status;
  rec.start = rec.total === rec.total ? rec.end - rec.total : NaN;
  return null;
}
