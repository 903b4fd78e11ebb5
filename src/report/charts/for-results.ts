// Which charts each kind of result gets (in reports, and by default in notebooks).
import type { RunResult } from '../../experiment/run-experiment.js';
import type { SweepResult } from '../../experiment/sweep.js';
import type { TimelineData } from '../../model/timeline.js';
import { failuresByCauseChart } from './failures-by-cause.js';
import { latencyCdfChart } from './latency-cdf.js';
import { sizeParetoChart, type SizeDoc } from './size-pareto.js';
import type { Chart, Origin } from './spec.js';
import { sweepFailuresChart } from './sweep-failures.js';
import { sweepHeatmapChart } from './sweep-heatmap.js';
import { sweepLinesChart } from './sweep-lines.js';
import { sweepOrigin } from './sweep-origin.js';
import { timelineChart } from './timeline.js';
import { timelineZoomChart } from './timeline-zoom.js';

/** Where a run's charts come from. */
export function runOrigin(r: RunResult, file?: string): Origin {
  return { source: file ?? r.model, seed: r.seed, replications: r.replications, seconds: r.simulatedSeconds };
}

/** Where a chart comparing several runs comes from (notebooks: every run so far). */
export function runsOrigin(results: readonly RunResult[], where = 'runs', file?: string): Origin {
  if (results.length === 1) return runOrigin(results[0]!, file);
  const seeds = [...new Set(results.map((r) => r.seed))];
  const reps = [...new Set(results.map((r) => r.replications))];
  return {
    source: `${results.length} ${where}`,
    seed: seeds.length === 1 ? seeds[0]! : seeds.join('/'),
    replications: reps.length === 1 ? `${reps[0]} replication${reps[0] === 1 ? '' : 's'} each` : `${reps.join('/')} replications`,
  };
}

/** A run's answer in pictures: what fails and why, and the latency tail. */
export function runCharts(r: RunResult, origin: Origin): Chart[] {
  const runs = [{ label: r.model, result: r }];
  return [failuresByCauseChart(runs, origin), latencyCdfChart(runs, origin)];
}

/** The detail, after the answer and the figures: the timeline and its worst minute. */
export function runDetailCharts(origin: Origin, timeline: TimelineData): Chart[] {
  const zoom = timelineZoomChart(timeline, origin);
  return [timelineChart(timeline, origin), ...(zoom ? [zoom] : [])];
}

/** Every failure by status first (a fleet shedding load with 504s shows), then p99, then the heatmap of all 5xx. */
export function sweepCharts(r: SweepResult): Chart[] {
  return [sweepFailuresChart(r), sweepLinesChart(r, 'p99'), ...(r.vary.length >= 2 ? [sweepHeatmapChart(r, '5xx/5min')] : [])];
}

export function sizeCharts(s: SizeDoc, r: SweepResult): Chart[] {
  return [sizeParetoChart(s, sweepOrigin(r), r), ...sweepCharts(r)];
}
