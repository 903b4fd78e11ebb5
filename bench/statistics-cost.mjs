// What a replication's statistics cost: the fastest of 4 warm replications of MODEL with the
// statistics' methods replaced by no-ops (a measurement only: the results are then wrong).
// Usage: node bench/statistics-cost.mjs MODEL [none|time-weighted|sketches|metrics|all]
// (after `npm run build`; it imports the unbundled build, dist/src).
import { runReplication } from '../dist/src/experiment/replication.js';
import { loadModelFile } from '../dist/src/scenario/load-model.js';
import { TimeWeighted } from '../dist/src/stats/time-weighted.js';
import { QuantileSketch } from '../dist/src/stats/quantile-sketch.js';
import { Metrics } from '../dist/src/model/metrics.js';

const [file, off = 'none'] = process.argv.slice(2);
const model = loadModelFile(file);
const noop = () => {};
// time-weighted: requests in system, busy contexts, accept queues, memory; sketches: latency and
// queue wait; metrics: the per-request counters and both (arrived, accepted, ended).
if (off === 'time-weighted' || off === 'all') TimeWeighted.prototype.add = noop;
if (off === 'sketches' || off === 'all') QuantileSketch.prototype.add = noop;
if (off === 'metrics' || off === 'all') Metrics.prototype.ended = Metrics.prototype.accepted = Metrics.prototype.arrived = noop;
const seconds = [];
for (let r = 0; r < 4; r++) {
  const t0 = performance.now();
  runReplication(model, r);
  seconds.push((performance.now() - t0) / 1000);
}
console.log(JSON.stringify({ model: file, off, seconds: Math.min(...seconds) }));
