// One simulated request as a line of an ALB, Classic ELB or nginx access log, in the layouts
// the readers read (docs/calibrate.md, "Writing logs"). What capsim knows of a request: when it
// reached the balancer, when its last attempt was sent, when the client got its answer, the
// endpoint, the target (or none) and the status. capsim models no time inside the balancer, so
// the balancer's own processing times are 0; the target's time is from sending the request to
// the answer (network, connect, accept queue, service). A request that got no answer from a
// target has the formats' markers for that: -1 times and "-" statuses.
import { clfUtc, isoMicros } from '../time-formats.js';

export interface SimRequest {
  /** Epoch seconds. */
  arrive: number;
  attempt: number;
  end: number;
  /** "/api" */
  path: string;
  /** "10.1.0.1:8000", or "" when never sent to a target. */
  target: string;
  /** The status the client got (200, 500, 502, 503, 504). */
  status: number;
  /** Did a target answer (a 2xx or the app's 500)? */
  answered: boolean;
  /** A counter for the client's port. */
  n: number;
}

const ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/capsim/0000000000000000';

function client(n: number): string {
  return `192.0.2.${1 + (n % 250)}:${1024 + (n % 60000)}`;
}

export function albLine(r: SimRequest): string {
  const target = r.target === '' ? '-' : r.target;
  const dispatched = r.target !== '';
  const times = r.answered ? `0.000 ${(r.end - r.attempt).toFixed(3)} 0.000` : dispatched ? '0.000 -1 -1' : '-1 -1 -1';
  const tStatus = r.answered ? String(r.status) : '-';
  return (
    `http ${isoMicros(r.end)} app/capsim/0000000000000000 ${client(r.n)} ${target} ${times} ${r.status} ${tStatus} 0 0 ` +
    `"GET http://capsim.example:80${r.path} HTTP/1.1" "capsim" - - ${ARN} "-" "-" "-" 0 ${isoMicros(r.arrive)} "forward" "-" "-" "${target}" "${tStatus}" "-" "-"\n`
  );
}

export function elbLine(r: SimRequest): string {
  const target = r.target === '' ? '-' : r.target;
  const times = r.answered ? `0.000000 ${(r.end - r.attempt).toFixed(6)} 0.000000` : '-1 -1 -1';
  const bStatus = r.answered ? String(r.status) : '-';
  return `${isoMicros(r.arrive)} capsim ${client(r.n)} ${target} ${times} ${r.status} ${bStatus} 0 0 "GET http://capsim.example:80${r.path} HTTP/1.1" "capsim" - -\n`;
}

/** combined + $request_time $upstream_response_time $upstream_addr (the `nginx` format). */
export function nginxLine(r: SimRequest): string {
  const ip = client(r.n);
  const upstream = r.target === '' ? '- -' : `${(r.end - r.attempt).toFixed(3)} ${r.target}`;
  return `${ip.slice(0, ip.indexOf(':'))} - - [${clfUtc(r.end)}] "GET ${r.path} HTTP/1.1" ${r.status} 0 "-" "capsim" ${(r.end - r.arrive).toFixed(3)} ${upstream}\n`;
}
