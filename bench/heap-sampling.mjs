// Which functions allocate on the JavaScript heap during one replication, and how much per
// simulated request: V8's sampling heap profiler, keeping the samples of objects already
// collected (the short-lived ones are the point). The second replication is sampled, after the
// first has compiled the request path.
// Usage (after npm run build): node bench/heap-sampling.mjs [MODEL] [rows]
import inspector from 'node:inspector';
import { runReplication } from '../dist/src/experiment/replication.js';
import { loadModelFile } from '../dist/src/scenario/load-model.js';

const model = loadModelFile(process.argv[2] ?? 'models/incident/01-uwsgi-2-workers.yaml');
const rows = Number(process.argv[3] ?? 15);
const session = new inspector.Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
runReplication(model, 0);
await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
const cost = { replications: 1, seconds: 0, events: 0, requests: 0, heapBytes: 0 };
runReplication(model, 1, { cost });
const { profile } = await post('HeapProfiler.stopSampling');
const self = new Map();
let total = 0;
(function walk(n) {
  const f = n.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + n.selfSize);
  total += n.selfSize;
  n.children.forEach(walk);
})(profile.head);
console.log(`${(total / 1e6).toFixed(0)} MB sampled for ${cost.requests} simulated requests: ${(total / cost.requests).toFixed(0)} bytes per request`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
  console.log(`${(v / cost.requests).toFixed(1).padStart(7)} B/request  ${k}`);
}
