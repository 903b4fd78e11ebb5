// traffic.replay: a run driven by a log's own arrival times and endpoints. Replaying a log and
// writing the replayed run's log gives back the same arrivals (to the microsecond the ALB
// format carries) and the same endpoint of each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLogs } from '../../src/logs/read-logs.js';
import { capsim, root } from '../experiment/cli-helper.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capsim-replay-'));

async function arrivals(file: string): Promise<[number, string][]> {
  const out: [number, string][] = [];
  await readLogs([file], { format: 'alb' }, (r) => out.push([r.start, r.path]));
  out.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  const t0 = out[0]![0];
  return out.map(([t, p]) => [Math.round((t - t0) * 1e6), p]);
}

test('traffic.replay: the replayed run meets the log\'s arrivals and endpoints, exactly', async () => {
  const original = path.join(dir, 'original.log');
  const r = capsim('run', 'test/calibrate/round-trip.yaml', '--duration', '5m', '--access-log', 'alb', original);
  assert.equal(r.code, 0, r.stderr);
  const model = path.join(dir, 'replay.yaml');
  writeFileSync(
    model,
    `name: replay
simulation: { duration: 6m, warmup: 0s, replications: 2, seed: 5 }
traffic:
  replay: original.log
  endpoints:
    - { name: "/api", weight: 1, phases: [ { wait: lognormal(mean=40ms, sd=25ms) } ] }
    - { name: "/report", weight: 1, phases: [ { wait: gamma(shape=2, scale=50ms) } ] }
balancer: { kind: alb }
fleet: { containers: 2, vcpu: 2, server: { kind: gunicorn, mode: sync, workers: 16 } }
`,
  );
  const replayed = path.join(dir, 'replayed.log');
  const s = capsim('run', model, '--access-log', 'alb', replayed, '--json');
  assert.equal(s.code, 0, s.stderr);
  const a = await arrivals(original);
  const b = await arrivals(replayed);
  assert.equal(b.length, a.length);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i]![0] - b[i]![0]) <= 1 && a[i]![1] === b[i]![1], `arrival ${i}: ${a[i]} vs ${b[i]}`);
  }
  // every replication meets the same arrivals
  const j = JSON.parse(s.stdout);
  assert.deepEqual(j.requests.ci95, [a.length, a.length]);
  void root;
});

test('traffic.replay: a missing file or an unknown format is exit 2 naming the key', () => {
  const model = path.join(dir, 'bad.yaml');
  writeFileSync(model, 'traffic:\n  replay: none.log\n  phases: [ { wait: 1ms } ]\nfleet: { server: { kind: gunicorn, workers: 2 } }\n');
  const a = capsim('run', model);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /traffic\.replay: got "none\.log", expected an access log file/);
  writeFileSync(model, 'traffic:\n  replay: { file: none.log, format: apache }\n  phases: [ { wait: 1ms } ]\nfleet: { server: { kind: gunicorn, workers: 2 } }\n');
  const b = capsim('run', model);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /traffic\.replay/);
  writeFileSync(model, 'traffic:\n  rate: 5/s\n  replay: x.log\n  phases: [ { wait: 1ms } ]\nfleet: { server: { kind: gunicorn, workers: 2 } }\n');
  const c = capsim('run', model);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /exactly one of traffic.rate .*traffic.replay/);
});
