// One replication's timeline, whole measured window: per container, workers by state, requests
// in the container, and a mark for every worker event and failure. It answers "when do workers
// stop accepting, and do the failures follow?" (the picture of a recycling storm).
import type { TimelineData } from '../../model/timeline.js';
import { CONFIG, SCHEMA, chartTitle, type Chart, type Origin } from './spec.js';
import { timelinePanels } from './timeline-panels.js';

export function timelineChart(tl: TimelineData, origin: Origin, replication = 0): Chart {
  const t0 = tl.t[0] ?? 0;
  const seconds = (tl.t[tl.t.length - 1] ?? t0) - t0;
  const p = timelinePanels(tl, { from: 0, to: seconds, unit: 60, axisTitle: 'time into the measured window (minutes)' });
  const notes = [
    `replication ${replication}, sampled every ${tl.interval} s; a mark per worker event and failure${p.binned ? ` (${p.marks} of them: shaded bins, darker where more fell)` : ''}`,
    p.note,
    tl.failuresOmitted > 0 ? `${tl.failuresOmitted} failures past the trace's cap not shown` : '',
    (tl.eventsOmitted ?? 0) > 0 ? `${tl.eventsOmitted} worker events past the trace's cap not shown` : '',
  ];
  const title = 'Timeline: workers, requests and failures per container';
  return {
    id: 'timeline',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: chartTitle(title, 'When do workers stop accepting, and do the failures follow?', origin, ...notes),
      vconcat: p.vconcat,
      spacing: 18,
      resolve: { scale: { color: 'shared' } },
    } as Chart['spec'],
  };
}
