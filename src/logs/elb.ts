// AWS Classic Load Balancer (ELB) access logs. Field layout: "Access logs for your Classic Load
// Balancer", Access log entries (docs.aws.amazon.com/elasticloadbalancing/latest/classic/
// access-log-collection.html):
//   timestamp elb client:port backend:port request_processing_time backend_processing_time
//   response_processing_time elb_status_code backend_status_code received_bytes sent_bytes
//   "request" "user_agent" ssl_cipher ssl_protocol
// `timestamp` is when the load balancer received the request. The processing times are -1 when
// it could not dispatch the request to a registered instance (the instance closed the
// connection, or did not answer within the idle timeout); backend_status_code is "-" then.
// Lines of a TCP/SSL listener have "- - - " as the request and "-" statuses: they are read as
// entries without a request (counted apart, not as malformed). Older logs end at "request".
import { AwsFields, requestLine } from './aws-fields.js';
import { pathOf, seconds, statusOf, type LineParser } from './record.js';
import { isoSeconds } from './time-formats.js';

const f = new AwsFields();

export const parseElb: LineParser = (line, rec) => {
  f.reset(line);
  rec.start = isoSeconds(f.next() ?? '');
  if (rec.start !== rec.start) return 'field 1 (timestamp): expected an ISO 8601 time such as 2015-05-13T23:39:43.945958Z';
  if (!f.skip(2)) return 'line ends before backend:port';
  const backend = f.next();
  const req = seconds(f.next() ?? '');
  const be = seconds(f.next() ?? '');
  const res = seconds(f.next() ?? '');
  if (backend === null || req !== req || be !== be || res !== res) return 'fields 4-7 (backend:port and the three processing times): expected backend:port or - and three numbers';
  const status = statusOf(f.next() ?? '');
  const backendStatus = statusOf(f.next() ?? '');
  if (status < 0 || backendStatus < 0) return 'fields 8-9 (elb_status_code, backend_status_code): expected a 3-digit status or -';
  if (!f.skip(2)) return 'line ends before "request"';
  const request = f.next();
  if (request === null) return 'field 12 ("request"): missing';
  if (request.startsWith('- - -')) {
    rec.method = '';
    rec.path = '';
  } else if (!requestLine(request, rec, pathOf)) {
    return 'field 12 ("request"): expected "METHOD URL PROTOCOL"';
  }
  rec.target = backend === '-' ? '' : backend;
  rec.status = status;
  rec.targetStatus = backendStatus;
  const answered = be >= 0;
  rec.targetTime = answered ? be : NaN;
  rec.total = req >= 0 && answered && res >= 0 ? req + be + res : NaN;
  rec.end = rec.total === rec.total ? rec.start + rec.total : NaN;
  return null;
};
