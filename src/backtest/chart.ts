// One chart: per 5-minute window, the logs' 5xx (502, 503, 504: one panel each) as points
// against the model's range as a band, so the windows outside it stand out.
import { CONFIG, SCHEMA, STATUS_COLOURS, type Chart } from '../report/charts/spec.js';
import { COMPARED } from './compare.js';
import type { Backtest } from './run-backtest.js';

export function backtestChart(b: Backtest): Chart {
  const rows = b.windows.flatMap((w) =>
    COMPARED.map((s) => ({
      t: new Date(w.start * 1000).toISOString(),
      status: s,
      log: w.log[s],
      mean: w.model[s]!.mean,
      lo: w.model[s]!.range[0],
      hi: w.model[s]!.range[1],
      verdict: w.partial ? 'partial window' : w.outside.some((o) => o.status === s) ? 'outside the range' : 'inside the range',
    })),
  );
  const title = "Does the model predict the logs' 5xx?";
  const x = { field: 't', type: 'temporal' as const, title: 'window start (UTC)', scale: { type: 'utc' as const } , axis: { format: '%H:%M' } };
  return {
    id: 'backtest-5xx',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: { text: title, subtitle: "requests per 5 minutes; band: the model's range for one window; points: the logs" },
      data: { values: rows },
      facet: { row: { field: 'status', type: 'nominal', title: null, sort: [...COMPARED], header: { labelAngle: 0, labelAlign: 'left' } } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 560,
        height: 110,
        layer: [
          { mark: { type: 'area', opacity: 0.25, color: '#777' }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'requests / 5 min' }, y2: { field: 'hi' } } },
          { mark: { type: 'line', color: '#555', strokeDash: [4, 3] }, encoding: { x, y: { field: 'mean', type: 'quantitative' } } },
          {
            mark: { type: 'point', filled: true, size: 36 },
            encoding: {
              x,
              y: { field: 'log', type: 'quantitative' },
              color: { field: 'verdict', type: 'nominal', title: null, scale: { domain: ['inside the range', 'outside the range', 'partial window'], range: ['#2ca02c', STATUS_COLOURS['502']!, '#bbb'] } },
            },
          },
        ],
      },
    },
  };
}
