// A fleet is overloaded when it fails more of its requests than `capsim size`'s 5xx guard allows
// (src/experiment/slo.ts GUARDS: 5xx-rate<=1%), whatever the status: a fleet shedding load with
// 504s or 503s fails as surely as one resetting connections with 502s. Charts that rank or colour
// fleets by one status mark such points, so that no overloaded fleet reads as the best.
import type { RunResult } from '../../experiment/summarize.js';
import { GUARDS, parseSlo } from '../../experiment/slo.js';
import { num } from '../format.js';

/** The share of requests (0..1) above which a point is overloaded: the 5xx guard's limit. */
export const OVERLOAD_SHARE = parseSlo(GUARDS.find((g) => g.startsWith('5xx-rate'))!).threshold;

export const FAILING_STATUSES = ['500', '502', '503', '504'] as const;

export interface Overload {
  /** Failed requests (all 5xx) as a share of requests, 0..1; null when nothing was measured. */
  share: number | null;
  /** The status with the most failures ("504"), or null when nothing failed. */
  status: string | null;
  over: boolean;
  /** "12% fail (504)". */
  text: string;
}

export function overloadOf(r: RunResult): Overload {
  const requests = r.requests.mean ?? 0;
  const counts = FAILING_STATUSES.map((s) => [s, r.status[s]?.mean ?? 0] as const);
  const failed = counts.reduce((a, [, c]) => a + c, 0);
  const share = requests > 0 ? failed / requests : null;
  const top = failed > 0 ? [...counts].sort((a, b) => b[1] - a[1])[0]![0] : null;
  const over = share !== null && share > OVERLOAD_SHARE;
  return { share, status: top, over, text: share === null ? 'nothing measured' : `${shareText(share)} fail${top ? ` (${top})` : ''}` };
}

/** 0.123 -> "12%"; 0.0123 -> "1.2%"; small shares keep two significant digits. */
export function shareText(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  if (p >= 10) return `${Math.round(p)}%`;
  if (p < 0.001) return '<0.001%';
  return `${num(p, 2)}%`;
}

/** "overloaded: more than 1% of requests fail", the legend's and the notes' wording. */
export const OVERLOADED = `overloaded: more than ${+(OVERLOAD_SHARE * 100).toFixed(3)}% of requests fail`;
