// `capsim size` with headroom: the utilization guard, the load margin, ties to more margin, the
// model as it stands, and the fixes the model's warnings name tried as candidates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim } from '../experiment/cli-helper.js';
import { fixCandidates } from '../../src/experiment/fix-candidates.js';
import { parseModelText } from '../../src/scenario/parse-model.js';
import { warningFixes } from '../../src/scenario/warnings.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'capsim-headroom-'));

/** M/M/c: c sync workers in one container, exponential 100 ms service, 12 requests/s (1.2 erlangs). */
const MMC = `
name: mmc
simulation: { duration: 1000s, warmup: 0s, replications: 3, seed: 1 }
traffic:
  rate: 12/s
  endpoints:
    - { name: job, phases: [ { wait: exp(100ms) } ] }
fleet:
  containers: 1
  memory: unlimited
  server: { kind: uwsgi, workers: 2, mode: sync, backlog: unlimited }
balancer: { healthCheck: { enabled: false } }
`;

test('size: ties at equal cost go to the point with more load margin, and the answer says so', () => {
  const model = path.join(tmp, 'mmc.yaml');
  writeFileSync(model, MMC);
  // 2, 3 and 4 workers cost the same (one task); 2 workers are 60% busy, 3 are 40%, 4 are 30%.
  const r = capsim('size', model, '--vary', 'fleet.server.workers=2,3,4', '--slo', 'p99<=20s', '--json', '--quiet', '--no-fixes', '--jobs', '1', '--out', path.join(tmp, 'tie'));
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.guards, ['5xx-rate<=1%', 'cpu<=90%', 'util<=80%', 'oom/h<=0']);
  assert.equal(j.tie.length, 3);
  assert.equal(j.best.workers, 4, 'the most margin, not the fewest workers');
  const held = j.tie.map((t: { loadMargin: { holds: number } }) => t.loadMargin.holds);
  assert.deepEqual([...held].sort((a, b) => b - a), held, 'most margin first');
  assert.ok(held[0] > held[2], held.join());
  assert.deepEqual(j.best.loadMargin, j.tie[0].loadMargin);
  assert.match(j.summary, /Three points meet every SLO at this cost; the one with the most load margin wins \(1 container × 3 workers holds \+\d+%, breaks at \+\d+%; 1 container × 2 workers holds/);
  // 30% busy: the guard's 80% is +167% away, beyond the largest level tried.
  assert.match(j.summary, /It holds beyond \+160% traffic \(the largest level tried; 5 traffic levels simulated, scaling traffic\.rate\)/);
  // Today: the model as it stands (2 workers) is a grid point, judged the same way.
  assert.equal(j.today.inGrid, true);
  assert.deepEqual(j.today.point, { 'fleet.server.workers': 2 });
  assert.match(j.summary, /Today \(the model as it stands\), 1 container × 2 workers at \$[\d.]+\/h: meets every SLO; worker processes [\d.]+% .* busy; the answer costs the same\./);
  // --no-margin: no search, and the old order at equal cost (fewer workers).
  const plain = capsim('size', model, '--vary', 'fleet.server.workers=2,3,4', '--slo', 'p99<=20s', '--json', '--quiet', '--no-fixes', '--no-margin', '--out', path.join(tmp, 'tie'), '--resume');
  const p = JSON.parse(plain.stdout);
  assert.equal(p.best.workers, 2);
  assert.equal(p.best.loadMargin, null);
});

test('size: the utilization guard excludes a point at the knee', () => {
  const model = path.join(tmp, 'mmc-knee.yaml');
  // 1.7 erlangs: 2 workers are 85% busy (few failures, a fine p99 against 20 s), 3 are 57%.
  writeFileSync(model, MMC.replace('rate: 12/s', 'rate: 17/s'));
  const r = capsim('size', model, '--vary', 'fleet.containers=1,2', '--slo', 'p99<=20s', '--json', '--quiet', '--no-fixes', '--no-margin', '--out', path.join(tmp, 'knee'));
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const one = j.points.find((p: { containers: number }) => p.containers === 1);
  assert.equal(one.metrics['p99<=20s'].meets, true);
  assert.equal(one.metrics['util<=80%'].meets, false, JSON.stringify(one.metrics['util<=80%']));
  assert.equal(j.best.containers, 2);
  assert.match(j.summary, /failed a guard and was excluded, the cheapest 1 container × 2 workers .*: util<=80% \(/);
});

const CLOSE_RACE = (mode: string) => `
name: close-race
simulation: { duration: 300s, warmup: 0s, replications: 2, seed: 1 }
traffic:
  rate: 20/s
  endpoints:
    - { name: job, phases: [ { cpu: exp(5ms) } ] }
fleet:
  containers: 1
  memory: unlimited
  server: { kind: uwsgi, version: 2.0.28, workers: 2, mode: ${mode}${mode === 'gevent' ? ', concurrency: 10' : ''} }
balancer: { kind: alb, keepAlive: true, nodes: 1, pool: eager }
`;

test("the close-race warning's fix is data: connectionClose always, http11-socket never for gevent", () => {
  const sync = parseModelText(CLOSE_RACE('sync'), 'x.yaml');
  assert.deepEqual(
    warningFixes(sync).map((f) => `${f.fix.path}=${f.fix.value}`),
    ['fleet.server.connectionClose=true', 'fleet.server.socket=http11-socket'],
  );
  const gevent = parseModelText(CLOSE_RACE('gevent'), 'x.yaml');
  assert.deepEqual(warningFixes(gevent).map((f) => `${f.fix.path}=${f.fix.value}`), ['fleet.server.connectionClose=true']);
  assert.deepEqual(fixCandidates(gevent, []).map((c) => [c.path, c.today, c.value]), [['fleet.server.connectionClose', 'false', 'true']]);
  assert.deepEqual(fixCandidates(gevent, ['fleet.server.connectionClose']), [], "a key the user varies is theirs");
});

test("size: the fix the model's warning names is tried as a candidate, and the answer says so", () => {
  const model = path.join(tmp, 'close-race.yaml');
  writeFileSync(model, CLOSE_RACE('gevent'));
  const r = capsim('size', model, '--vary', 'fleet.containers=1,2', '--slo', '502/5min<=1', '--json', '--quiet', '--no-margin', '--out', path.join(tmp, 'fix'));
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.fixesTried.map((f: { path: string; value: string }) => `${f.path}=${f.value}`), ['fleet.server.connectionClose=true']);
  assert.equal(j.points.length, 4, 'every point with and without the fix');
  assert.ok(j.points.some((p: { point: Record<string, unknown> }) => p.point['fleet.server.connectionClose'] === true));
  assert.match(j.summary, /The grid also tried, as candidates, the fix the model's own warnings name: fleet\.server\.connectionClose=true/);
  // Without the fix every point loses requests to the close race; with it the answer needs it.
  if (j.best) assert.equal(j.best.point['fleet.server.connectionClose'], true);
  const none = capsim('size', model, '--vary', 'fleet.containers=1,2', '--slo', '502/5min<=1', '--json', '--quiet', '--no-margin', '--no-fixes', '--out', path.join(tmp, 'nofix'));
  assert.deepEqual(JSON.parse(none.stdout).fixesTried, []);
});

test("size on the issue's incident model no longer picks a fleet whose workers are ~90% busy", () => {
  // models/incident/05-gunicorn.yaml: 2 containers × 2 gunicorn workers met 502/5min<=1 with the
  // processes about 90% busy (issue 19); the util guard excludes it and names it.
  const r = capsim(
    'size', path.join('models', 'incident', '05-gunicorn.yaml'), '--vary', 'fleet.containers=2,3', '--slo', '502/5min<=1',
    '--duration', '5m', '--replications', '2', '--no-margin', '--json', '--quiet', '--out', path.join(tmp, 'incident'),
  );
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const two = j.points.find((p: { containers: number }) => p.containers === 2);
  assert.equal(two.metrics['502/5min<=1'].meets, true);
  assert.ok(two.util.mean > 0.85, `2 containers: ${two.util.mean}`);
  assert.equal(two.metrics['util<=80%'].meets, false);
  assert.equal(j.best.containers, 3);
  assert.match(j.summary, /failed a guard and was excluded, the cheapest 2 containers × 2 workers .*: util<=80% \(/);
  assert.match(j.summary, /Today \(the model as it stands\), 4 containers × 2 workers at \$[\d.]+\/h: meets every SLO/);
});
