// Observations as the observations file holds them (the format of the `infer` contract:
// `observations:` a list of { name, metric, value | atMost | atLeast, sd, window, note }), written
// with yaml's stringify, so that `capsim infer MODEL --observed FILE` reads what calibrate saw.
import { stringify } from 'yaml';
import { metricName, type MetricSpec } from '../../experiment/metrics.js';
import type { CloudWatchObservation } from './observations.js';

/** A figure in the metric's units as the file writes it: latency with "ms", others as plain numbers. */
function figure(metric: MetricSpec, x: number): number | string {
  const v = +x.toPrecision(4);
  return metric.kind === 'latency' ? `${v}ms` : v;
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

export function observationsYaml(list: readonly CloudWatchObservation[], header: readonly string[]): string {
  const observations = list.map(({ observation: o, note }) => {
    const entry: Record<string, unknown> = { name: o.name, metric: metricName(o.metric) };
    if (o.form.kind === 'value') entry['value'] = figure(o.metric, o.form.value);
    else entry[o.form.kind === 'at-most' ? 'atMost' : 'atLeast'] = figure(o.metric, o.form.bound);
    entry['sd'] = figure(o.metric, o.form.sd);
    if (o.window > 0) entry['window'] = duration(o.window);
    if (Object.keys(o.set).length > 0) entry['set'] = o.set;
    entry['note'] = `${o.source}: ${note}`;
    return entry;
  });
  const body = stringify({ observations }, { lineWidth: 0 });
  return `${header.map((l) => `# ${l}`).join('\n')}\n${body}`;
}
