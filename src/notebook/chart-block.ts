// `chart KIND [--metric M]` in a notebook: draws a previous block's result.
//   timeline            the last run with --timeline
//   worst-minute        the same, its worst minute up close
//   causes, latency     every run so far, one bar / row each
//   cdf                 every run so far, one latency tail each
//   sweep, heatmap      the last sweep (or size) [--metric 502/5min|5xx/5min|p50|p95|p99]
//   pareto              the last size
import type { Artifact } from '../cli/io.js';
import { failuresByCauseChart } from '../report/charts/failures-by-cause.js';
import { latencyCdfChart } from '../report/charts/latency-cdf.js';
import { latencyPercentilesChart } from '../report/charts/latency-percentiles.js';
import { sizeParetoChart } from '../report/charts/size-pareto.js';
import type { Chart } from '../report/charts/spec.js';
import { sweepHeatmapChart } from '../report/charts/sweep-heatmap.js';
import { sweepLinesChart } from '../report/charts/sweep-lines.js';
import { SWEEP_METRICS, type SweepMetric } from '../report/charts/sweep-metric.js';
import { timelineChart } from '../report/charts/timeline.js';
import { timelineZoomChart } from '../report/charts/timeline-zoom.js';
import { runOrigin, runsOrigin } from '../report/charts/for-results.js';
import { sweepOrigin } from '../report/charts/sweep-origin.js';

export const CHART_KINDS = ['timeline', 'worst-minute', 'causes', 'latency', 'cdf', 'sweep', 'heatmap', 'pareto'] as const;

export class ChartBlockError extends Error {}

export function chartFromBlock(args: readonly string[], artifacts: readonly Artifact[]): Chart {
  const [kind, ...rest] = args;
  let metric: SweepMetric = '502/5min';
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--metric' && i + 1 < rest.length) {
      const m = rest[++i]!;
      if (!(SWEEP_METRICS as readonly string[]).includes(m)) throw new ChartBlockError(`chart --metric ${m}: expected one of ${SWEEP_METRICS.join(', ')}`);
      metric = m as SweepMetric;
    } else {
      throw new ChartBlockError(`chart: unexpected argument ${rest[i]}`);
    }
  }
  const last = <K extends Artifact['kind']>(...kinds: K[]) => [...artifacts].reverse().find((a) => (kinds as string[]).includes(a.kind)) as Extract<Artifact, { kind: K }> | undefined;
  const runs = artifacts.filter((a): a is Extract<Artifact, { kind: 'run' }> => a.kind === 'run');
  const need = (what: string): never => {
    throw new ChartBlockError(`chart ${kind}: needs ${what} in an earlier block`);
  };
  const labelled = (rs: typeof runs) => rs.map((r) => ({ label: r.result.model, result: r.result }));
  switch (kind) {
    case 'timeline': {
      const r = [...runs].reverse().find((a) => a.timeline);
      if (!r) return need('a `run … --timeline`');
      return timelineChart(r.timeline!, runOrigin(r.result, r.file));
    }
    case 'worst-minute': {
      const r = [...runs].reverse().find((a) => a.timeline);
      if (!r) return need('a `run … --timeline`');
      const zoom = timelineZoomChart(r.timeline!, runOrigin(r.result, r.file));
      if (!zoom) throw new ChartBlockError('chart worst-minute: the last timeline has no failure and no worker event');
      return zoom;
    }
    case 'causes':
      if (runs.length === 0) return need('a `run`');
      return failuresByCauseChart(labelled(runs), runsOrigin(runs.map((r) => r.result), 'runs of this notebook', runs[0]?.file));
    case 'latency':
      if (runs.length === 0) return need('a `run`');
      return latencyPercentilesChart(labelled(runs), runsOrigin(runs.map((r) => r.result), 'runs of this notebook', runs[0]?.file));
    case 'cdf':
      if (runs.length === 0) return need('a `run`');
      return latencyCdfChart(labelled(runs), runsOrigin(runs.map((r) => r.result), 'runs of this notebook', runs[0]?.file));
    case 'sweep':
    case 'heatmap': {
      const s = last('sweep', 'size');
      if (!s) return need('a `sweep` or `size`');
      const result = s.kind === 'sweep' ? s.result : s.sweep;
      if (kind === 'heatmap' && result.vary.length < 2) throw new ChartBlockError('chart heatmap: needs a sweep with two --vary keys');
      return kind === 'sweep' ? sweepLinesChart(result, metric) : sweepHeatmapChart(result, metric);
    }
    case 'pareto': {
      const s = last('size');
      if (!s) return need('a `size`');
      return sizeParetoChart(s.size, sweepOrigin(s.sweep), s.sweep);
    }
    default:
      throw new ChartBlockError(`chart ${kind ?? ''}: expected one of ${CHART_KINDS.join(', ')}`);
  }
}
