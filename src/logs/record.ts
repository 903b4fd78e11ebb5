// One access-log line as the calibration needs it. Readers fill one reused record per line
// (no allocation per line beyond the strings a line's fields are), so a log of any size is read
// in constant memory.

export class LogRecord {
  /** When the balancer (or server) received the request, epoch seconds; NaN when the format does not say. */
  start = NaN;
  /** When the response was sent, epoch seconds; NaN when the format does not say. */
  end = NaN;
  method = '';
  /** The request path without its query string. */
  path = '';
  /** The status the client got (the balancer's: elb_status_code); 0 when the log has "-". */
  status = 0;
  /** The status the target (upstream, app) answered; 0 when none answered ("-"). */
  targetStatus = 0;
  /** The target that served the request ("10.0.0.1:80"); "" when none or unknown. */
  target = '';
  /** Time from receiving the request to sending the response, s; NaN when unknown. */
  total = NaN;
  /**
   * The target's part, s: ALB target_processing_time, ELB backend_processing_time, nginx
   * $upstream_response_time, the app server's own time; NaN when the target did not answer
   * (the balancer's -1) or the format has no such field.
   */
  targetTime = NaN;

  clear(): void {
    this.start = NaN;
    this.end = NaN;
    this.method = '';
    this.path = '';
    this.status = 0;
    this.targetStatus = 0;
    this.target = '';
    this.total = NaN;
    this.targetTime = NaN;
  }
}

/** A line parser: fills rec from line and returns null, or returns why the line does not fit. */
export type LineParser = (line: string, rec: LogRecord) => string | null;

/** "/users/1?x=2" -> "/users/1"; "http://host:80/a?b" -> "/a" (ALB and ELB log the full URL). */
export function pathOf(url: string): string {
  let from = 0;
  if (url.charCodeAt(0) !== 47 /* / */) {
    const scheme = url.indexOf('://');
    if (scheme >= 0) {
      const slash = url.indexOf('/', scheme + 3);
      if (slash < 0) return '/';
      from = slash;
    }
  }
  let to = url.indexOf('?', from);
  if (to < 0) to = url.length;
  const hash = url.indexOf('#', from);
  if (hash >= 0 && hash < to) to = hash;
  return from === 0 && to === url.length ? url : url.slice(from, to);
}

/** A decimal seconds field, or NaN for "-" and anything that is not a number. */
export function seconds(s: string): number {
  if (s === '-' || s === '') return NaN;
  const x = +s;
  return x === x ? x : NaN;
}

/** A status field: its number, 0 for "-", -1 when malformed. */
export function statusOf(s: string): number {
  if (s === '-') return 0;
  if (s.length !== 3) return -1;
  const x = +s;
  return x >= 100 && x <= 599 ? x : -1;
}
