// Which charts each kind of result gets (in reports, and by default in notebooks).
import type { RunResult } from '../../experiment/run-experiment.js';
import type { SweepResult } from '../../experiment/sweep.js';
import type { TimelineData } from '../../model/timeline.js';
import { failuresByCauseChart } from './failures-by-cause.js';
import { latencyCdfChart } from './latency-cdf.js';
import { latencyPercentilesChart } from './latency-percentiles.js';
import { sizeParetoChart, type SizeDoc } from './size-pareto.js';
import type { Chart } from './spec.js';
import { sweepHeatmapChart } from './sweep-heatmap.js';
import { sweepLinesChart } from './sweep-lines.js';
import { timelineChart } from './timeline.js';

export function runCharts(r: RunResult, timeline?: TimelineData): Chart[] {
  const runs = [{ label: r.model, result: r }];
  return [...(timeline ? [timelineChart(timeline, r.model)] : []), failuresByCauseChart(runs), latencyCdfChart(runs), latencyPercentilesChart(runs)];
}

export function sweepCharts(r: SweepResult): Chart[] {
  return [sweepLinesChart(r, '502/5min'), sweepLinesChart(r, 'p99'), ...(r.vary.length >= 2 ? [sweepHeatmapChart(r, '502/5min')] : [])];
}

export function sizeCharts(s: SizeDoc, r: SweepResult): Chart[] {
  return [sizeParetoChart(s), ...sweepCharts(r)];
}
