// The one line a run opens with: the 502 rate per 5 minutes and as a share of requests, all 5xx,
// p99, the cause behind most failures, and anything that killed workers, so that a failure
// shows before any table.
import type { RunResult } from '../experiment/summarize.js';
import { STATUSES } from '../model/outcome.js';
import { dominantCause } from './dominant-cause.js';
import { figure, num } from './format.js';

/** A count per replication as a share of the requests, for people: "0.91%", "<0.001%". */
function share(count: number | null, requests: number | null): string {
  if (count === null || !requests) return '—';
  const p = (100 * count) / requests;
  if (p === 0) return '0%';
  if (p < 0.001) return '<0.001%';
  return `${num(p, 2)}%`;
}

export function answerLine(r: RunResult): string {
  const requests = r.requests.mean;
  const failed = STATUSES.slice(1).reduce((a, s) => a + (r.status[s]!.mean ?? 0), 0);
  const parts = [
    `502: ${figure(r.per5min['502']!)} per 5 min = ${share(r.status['502']!.mean, requests)} of requests`,
    `5xx ${share(failed, requests)}`,
    `p99 ${figure(r.latencyMs.p99)} ms`,
  ];
  const top = dominantCause(r);
  if (top) parts.push(`mostly ${top.status} ${top.cause} (${Math.round(100 * top.share)}%)`);
  const kills = Object.entries(r.workers.sigkills)
    .filter(([k, f]) => k !== 'total' && (f.mean ?? 0) > 0)
    .map(([k, f]) => `${k} ${figure(f)}`);
  if (kills.length > 0) parts.push(`SIGKILLs per replication: ${kills.join(', ')}`);
  if ((r.workers.mercyExits.mean ?? 0) > 0) parts.push(`mercy exits ${figure(r.workers.mercyExits)}`);
  return parts.join('; ');
}
