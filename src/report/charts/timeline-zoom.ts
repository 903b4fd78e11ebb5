// The worst minute of a timeline, up close: the minute with the most failures (then the most
// worker events), each drawn at its own time, for the containers where something happened.
// It answers "what happened, in what order, when it went worst?".
import type { TimelineData } from '../../model/timeline.js';
import { CONFIG, SCHEMA, chartTitle, type Chart, type Origin } from './spec.js';
import { timelineMarks, timelinePanels } from './timeline-panels.js';

/** The start (s into the window) of the worst whole minute, or null when nothing happened. */
export function worstMinute(tl: TimelineData): number | null {
  const t0 = tl.t[0] ?? 0;
  const seconds = (tl.t[tl.t.length - 1] ?? t0) - t0;
  const minutes = Math.max(1, Math.floor(seconds / 60));
  const failures = new Array<number>(minutes).fill(0);
  const events = new Array<number>(minutes).fill(0);
  const isFailure = (what: string) => /^\d{3} /.test(what);
  for (const m of timelineMarks(tl)) {
    const k = Math.min(minutes - 1, Math.floor(m.t / 60));
    (isFailure(m.what) ? failures : events)[k]++;
  }
  let best = -1;
  for (let k = 0; k < minutes; k++) {
    if (failures[k]! + events[k]! === 0) continue;
    if (best < 0 || failures[k]! > failures[best]! || (failures[k] === failures[best] && events[k]! > events[best]!)) best = k;
  }
  return best < 0 ? null : best * 60;
}

export function timelineZoomChart(tl: TimelineData, origin: Origin, replication = 0): Chart | null {
  const from = worstMinute(tl);
  if (from === null) return null;
  const p = timelinePanels(tl, { from, to: from + 60, unit: 1, axisTitle: 'time into the measured window (s)' }, { onlyBusy: true });
  const title = `The worst minute, ${from} s to ${from + 60} s: failures and worker events up close`;
  return {
    id: 'timeline-zoom',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(
        title,
        'What happened, and in what order, when it went worst?',
        origin,
        `replication ${replication}: the minute with the most failures (${p.marks} failures and worker events), sampled every ${tl.interval} s${p.binned ? '; shaded bins, darker where more fell' : ''}`,
        p.note,
      ),
      vconcat: p.vconcat,
      spacing: 18,
      resolve: { scale: { color: 'shared' } },
    } as Chart['spec'],
  };
}
