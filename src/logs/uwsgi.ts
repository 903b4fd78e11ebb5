// uWSGI's default request log line, written by uwsgi_logit_simple (core/logging.c):
//   [pid: %d|app: %d|req: %d/%llu] %s (%s) {%d vars in %d bytes} [%s] %s %s => generated %llu
//   bytes in %llu %s%s(%s %d) %d headers in %llu bytes (%d switches on core %d)
// i.e. "[pid: 1|app: 0|req: 1/1] 10.0.0.9 () {38 vars in 543 bytes} [Thu Jan  1 00:00:00 2015]
// GET /x => generated 12 bytes in 7 msecs (HTTP/1.1 200) 2 headers in 64 bytes (1 switches on
// core 0)". The bracketed time is ctime(3) of the request's start (start_of_request_in_sec, in
// the server's local zone: read as UTC here); the duration is end_of_request - start_of_request
// in msecs, or micros with --log-micros; " via sendfile() " (route, offload) may precede the
// parenthesis. A line may be prefixed by the vhost or a memory report: the match is anchored on
// "[pid: ". The duration is the worker's own time, as for gunicorn.
import { pathOf, type LineParser } from './record.js';
import { ctimeSeconds } from './time-formats.js';

const LINE = /\[pid: \d+\|app: -?\d+\|req: -?\d+\/\d+\] \S* \([^)]*\) \{\d+ vars in \d+ bytes\} \[([^\]]{23,24})\] (\S+) (\S*) => generated \d+ bytes in (\d+) (msecs|micros) ?(?:via \S+ )?\(\S+ (\d{3})\)/;

export const parseUwsgi: LineParser = (line, rec) => {
  const m = LINE.exec(line);
  if (m === null) return 'expected "[pid: N|app: N|req: N/N] ADDR (USER) {N vars in N bytes} [TIME] METHOD URI => generated N bytes in N msecs (PROTO STATUS) ..."';
  rec.start = ctimeSeconds(m[1]!);
  if (rec.start !== rec.start) return `the time [${m[1]}]: expected ctime(3) form, such as Thu Jan  1 00:00:00 2015`;
  rec.method = m[2]!;
  rec.path = pathOf(m[3]!);
  rec.total = +m[4]! / (m[5] === 'micros' ? 1e6 : 1e3);
  rec.targetTime = rec.total;
  rec.end = rec.start + rec.total;
  rec.status = +m[6]!;
  rec.targetStatus = rec.status;
  rec.target = '';
  return null;
};
