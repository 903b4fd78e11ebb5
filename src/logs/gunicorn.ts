// gunicorn access logs (gunicorn/glogging.py, Logger.atoms; the access_log_format setting in
// docs.gunicorn.org/en/stable/settings.html#access-log-format). The default format is
//   %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"
// which has no duration: calibration needs one of %(D)s (request time in microseconds), %(L)s
// (decimal seconds), %(M)s (milliseconds) or %(T)s (whole seconds: too coarse for service
// times, accepted with that said). %(t)s is the time of the log write, after the response
// ("[10/Oct/2000:13:55:36 -0700]"); %(r)s is the request line; %(s)s the status. The time is
// the worker's own (from reading the request to the end of the response): the app's part, with
// no balancer or accept-queue wait in it.
import { pathOf, statusOf, type LineParser } from './record.js';
import { GUNICORN_VARIABLE, compileTemplate, matchTemplate } from './template.js';
import { clfSeconds } from './time-formats.js';

export const GUNICORN_DEFAULT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"';
/** The default with %(D)s appended: the usual way to get durations, and capsim's `gunicorn` format. */
export const GUNICORN_TIMED = `${GUNICORN_DEFAULT} %(D)s`;

/** Units per second of each duration atom. */
const DURATION: Record<string, number> = { D: 1e6, L: 1, M: 1e3, T: 1 };

export function gunicornParser(format: string): LineParser {
  const t = compileTemplate(format, GUNICORN_VARIABLE);
  const duration = t.vars.findIndex((v) => v in DURATION);
  const time = t.vars.indexOf('t');
  const request = t.vars.indexOf('r');
  const urlPath = t.vars.indexOf('U');
  const method = t.vars.indexOf('m');
  const status = t.vars.indexOf('s');
  if (duration < 0) throw new Error('the access_log_format has no duration: add %(D)s (microseconds) or %(L)s (seconds)');
  if (time < 0 || status < 0 || (request < 0 && urlPath < 0)) throw new Error('the access_log_format needs %(t)s, %(s)s and %(r)s (or %(U)s)');
  const scale = DURATION[t.vars[duration]!]!;
  const values: string[] = new Array<string>(t.vars.length).fill('');
  const none = () => false;
  return (line, rec) => {
    const bad = matchTemplate(t, line, values, none);
    if (bad !== null) return `does not fit the access_log_format at the text ${JSON.stringify(t.literals[bad])}`;
    const tv = values[time]!;
    rec.end = clfSeconds(tv.charCodeAt(0) === 91 ? tv.slice(1, -1) : tv);
    if (rec.end !== rec.end) return `%(t)s: expected a time such as [10/Oct/2000:13:55:36 -0700], got ${JSON.stringify(tv)}`;
    const dv = values[duration]!;
    const d = +dv;
    // %(D)s, %(M)s, %(T)s are integers (what tells D from nginx's $request_time, which has a '.').
    if (!(d >= 0) || (t.vars[duration] !== 'L' && dv.indexOf('.') >= 0) || dv === '') return `%(${t.vars[duration]})s: expected a duration, got ${JSON.stringify(values[duration])}`;
    rec.total = d / scale;
    rec.targetTime = rec.total;
    rec.start = rec.end - rec.total;
    rec.status = statusOf(values[status]!);
    if (rec.status <= 0) return `%(s)s: expected a 3-digit status, got ${JSON.stringify(values[status])}`;
    rec.targetStatus = rec.status;
    if (request >= 0) {
      const r = values[request]!;
      const a = r.indexOf(' ');
      const b = r.lastIndexOf(' ');
      if (a <= 0) return `%(r)s: expected "METHOD PATH PROTOCOL", got ${JSON.stringify(r.slice(0, 80))}`;
      rec.method = r.slice(0, a);
      rec.path = pathOf(r.slice(a + 1, b > a ? b : r.length));
    } else {
      rec.method = method >= 0 ? values[method]! : '';
      rec.path = values[urlPath]!;
    }
    rec.target = '';
    return null;
  };
}
