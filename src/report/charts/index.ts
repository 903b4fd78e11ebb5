// The charts capsim draws, and their renderers.
export { failuresByCauseChart, type LabelledRun } from './failures-by-cause.js';
export { runOrigin, runsOrigin } from './for-results.js';
export { latencyCdfChart } from './latency-cdf.js';
export { latencyPercentilesChart } from './latency-percentiles.js';
export { renderPng, renderSvg } from './render.js';
export { sizeParetoChart, type SizeDoc } from './size-pareto.js';
export type { Chart, ChartSpec, Origin } from './spec.js';
export { sweepFailuresChart } from './sweep-failures.js';
export { sweepHeatmapChart } from './sweep-heatmap.js';
export { sweepLinesChart } from './sweep-lines.js';
export { SWEEP_METRICS, type SweepMetric } from './sweep-metric.js';
export { sweepOrigin } from './sweep-origin.js';
export { timelineChart } from './timeline.js';
export { timelineZoomChart, worstMinute } from './timeline-zoom.js';
