// AWS Application Load Balancer access logs. Field layout: "Access logs for your Application
// Load Balancer", Access log entries (docs.aws.amazon.com/elasticloadbalancing/latest/application/
// load-balancer-access-logs.html), in this order:
//   type time elb client:port target:port request_processing_time target_processing_time
//   response_processing_time elb_status_code target_status_code received_bytes sent_bytes
//   "request" "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name"
//   "chosen_cert_arn" matched_rule_priority request_creation_time "actions_executed" ...
// `time` is when the load balancer generated the response; request_creation_time when it
// received the request. The three processing times are -1 when the load balancer could not
// dispatch the request to a target, or the target did not respond before the idle timeout;
// target:port and target_status_code are "-" then. AWS says to ignore fields past the ones a
// parser expects (more are added over time), and older logs end at trace_id: both are read.
import { AwsFields, requestLine } from './aws-fields.js';
import { pathOf, seconds, statusOf, type LineParser } from './record.js';
import { isoSeconds } from './time-formats.js';

const TYPES = new Set(['http', 'https', 'h2', 'grpcs', 'ws', 'wss']);
const f = new AwsFields();

export const parseAlb: LineParser = (line, rec) => {
  f.reset(line);
  const type = f.next();
  if (type === null || !TYPES.has(type)) return `field 1 (type): expected one of ${[...TYPES].join(', ')}`;
  rec.end = isoSeconds(f.next() ?? '');
  if (rec.end !== rec.end) return 'field 2 (time): expected an ISO 8601 time such as 2018-07-02T22:23:00.186641Z';
  if (!f.skip(2)) return 'line ends before target:port';
  const target = f.next();
  const req = seconds(f.next() ?? '');
  const tgt = seconds(f.next() ?? '');
  const res = seconds(f.next() ?? '');
  if (target === null || req !== req || tgt !== tgt || res !== res) return 'fields 5-8 (target:port and the three processing times): expected target:port or - and three numbers';
  const status = statusOf(f.next() ?? '');
  const targetStatus = statusOf(f.next() ?? '');
  if (status < 0 || targetStatus < 0) return 'fields 9-10 (elb_status_code, target_status_code): expected a 3-digit status or -';
  if (!f.skip(2)) return 'line ends before "request"';
  const request = f.next();
  if (request === null || !requestLine(request, rec, pathOf)) return 'field 13 ("request"): expected "METHOD URL PROTOCOL"';
  rec.target = target === '-' ? '' : target;
  rec.status = status;
  rec.targetStatus = targetStatus;
  const answered = tgt >= 0;
  rec.targetTime = answered ? tgt : NaN;
  rec.total = req >= 0 && answered && res >= 0 ? req + tgt + res : NaN;
  // request_creation_time (field 22) when present: the arrival, to the microsecond.
  rec.start = NaN;
  if (f.skip(8)) {
    const created = isoSeconds(f.next() ?? '');
    if (created === created) rec.start = created;
  }
  if (rec.start !== rec.start && rec.total === rec.total) rec.start = rec.end - rec.total;
  if (rec.total !== rec.total && rec.start === rec.start) rec.total = rec.end - rec.start;
  return null;
};
