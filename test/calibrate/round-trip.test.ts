// The round trip: simulate a model with known parameters, write its ALB log, calibrate from the
// log, and the rate, the endpoint mix and each endpoint's service-time distribution come back
// within their sampling error; the 502s the run counted come back as the log's 502s. The
// calibrated model file loads and runs as it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelFile } from '../../src/calibrate/model-file.js';
import { runCalibration } from '../../src/calibrate/run-calibration.js';
import { runReplication } from '../../src/experiment/replication.js';
import { loadModelFile as loadModel } from '../../src/scenario/load-model.js';
import { capsim, root } from '../experiment/cli-helper.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capsim-round-trip-'));

test('round trip: rate, endpoint shares and service times come back within sampling error', async () => {
  const log = path.join(dir, 'rt.alb.log');
  const r = capsim('run', 'test/calibrate/round-trip.yaml', '--access-log', 'alb', log, '--json');
  assert.equal(r.code, 0, r.stderr);
  const { read, cal } = await runCalibration([log], { format: 'auto' }, 8);
  assert.equal(read.format, 'alb');
  assert.equal(read.malformed, 0);

  // 600/min: within 3 standard errors of the calibrated rate (the interval is 1.96 of them)
  const se = (cal.rate.ci95[1] - cal.rate.ci95[0]) / 3.92;
  assert.ok(Math.abs(cal.rate.perMinute - 600) <= 3 * se, `rate ${cal.rate.perMinute} ± ${se}`);
  assert.equal(cal.targets.count, 2);

  const byName = new Map(cal.endpoints.map((e) => [e.pattern, e]));
  assert.deepEqual([...byName.keys()], ['/api', '/report']);
  const truth = {
    '/api': { share: 0.75, mean: 0.04, sd: 0.025, kind: 'lognormal' },
    '/report': { share: 0.25, mean: 0.1, sd: Math.sqrt(2) * 0.05, kind: 'gamma' },
  };
  for (const [name, t] of Object.entries(truth)) {
    const e = byName.get(name)!;
    const shareSe = Math.sqrt((t.share * (1 - t.share)) / cal.requests);
    assert.ok(Math.abs(e.share - t.share) <= 3 * shareSe, `${name} share ${e.share}`);
    const f = e.fit!;
    assert.equal(e.fittedOn, 'quiet minutes');
    assert.equal(f.kind, t.kind, `${name}: ${JSON.stringify({ ks: [f.ksLognormal, f.ksGamma], limit: f.threshold })}`);
    // The target time is service plus the network (a connect and a round trip of 0.5 ms each at
    // most: gunicorn's sync worker closes every connection), logged in whole milliseconds: the
    // fitted mean is the true one within 3 standard errors, plus at most 1.5 ms.
    const meanSe = t.sd / Math.sqrt(f.n);
    const gap = f.mean - t.mean;
    assert.ok(gap >= -3 * meanSe && gap <= 3 * meanSe + 0.0015, `${name} mean ${f.mean} vs ${t.mean} ± ${meanSe}`);
    assert.ok(Math.abs(f.sd / t.sd - 1) < 0.1, `${name} sd ${f.sd} vs ${t.sd}`);
  }

  // The model file runs as it is, with the calibrated figures in it.
  const yaml = modelFile({ name: 'rt', format: read.format, files: 1, cal });
  const file = path.join(dir, 'rt.yaml');
  const out = capsim('calibrate', log, '--out', file);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(readFileSync(file, 'utf8'), yaml);
  const model = loadModel(file, ['simulation.duration=2m', 'simulation.warmup=0s']);
  assert.equal(model.fleet.containers, 2);
  assert.equal(model.traffic.endpoints.length, 2);
  const rep = runReplication(model, 0);
  assert.ok(rep.status[0]! > 1000);
  assert.match(yaml, /workers: \d+ +# GUESS/);
});

test('round trip: the 502s a run counts are the 502s calibration reports, per 5 minutes too', async () => {
  const log = path.join(dir, 'mmc.alb.log');
  const r = capsim('run', 'models/textbook/mmc.yaml', '--duration', '20m', '--replications', '1', '--set', 'traffic.rate=4.8/s', '--access-log', 'alb', log, '--json');
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout);
  const { cal } = await runCalibration([log], { format: 'alb' }, 8);
  const count = (s: number) => cal.statuses.find((x) => x.status === s)?.requests ?? 0;
  assert.ok(run.status['502'].mean > 10);
  assert.equal(count(502), run.status['502'].mean);
  assert.equal(count(200), run.status['2xx'].mean);
  const five = cal.per5min.windows.reduce((a, w) => a + w.counts[4]!, 0);
  assert.equal(five, run.status['502'].mean);
});

void root;

test('the check: the calibrated model run as written comes within a few % of the logs latency when nothing waits', async () => {
  const { checkModel } = await import('../../src/calibrate/check.js');
  const log = path.join(dir, 'check.alb.log');
  const r = capsim('run', 'test/calibrate/round-trip.yaml', '--duration', '10m', '--access-log', 'alb', log);
  assert.equal(r.code, 0, r.stderr);
  const { read, cal, obs } = await runCalibration([log], { format: 'alb' }, 8);
  const c = checkModel(modelFile({ name: 'x', format: read.format, files: 1, cal }), obs, cal.span, true)!;
  assert.equal(c.seconds, 540);
  for (const l of c.latency) assert.ok(Math.abs(l.modelMs / l.logMs - 1) < 0.1, `p${l.p}: ${l.modelMs} vs ${l.logMs}`);
  assert.equal(c.fiveXxShare.log, 0);
});

test('a log of 4 hours: an hourly profile whose points are the true rate within sampling error', async () => {
  const log = path.join(dir, 'profile.alb.log');
  const r = capsim('run', 'test/calibrate/profile.yaml', '--access-log', 'alb', log);
  assert.equal(r.code, 0, r.stderr);
  const { cal } = await runCalibration([log], { format: 'alb' }, 8);
  const pts = cal.profile!;
  assert.equal(pts.length, 5, JSON.stringify(pts)); // 0, then the middles of hours 0-3
  // the true rate is linear: 60/min at 0 h, 240/min at 2 h, back to 60/min at 4 h; an hour's
  // mean equals the rate at its middle
  const truth = (t: number) => (t <= 7200 ? 60 + (180 * t) / 7200 : 240 - (180 * (t - 7200)) / 7200);
  for (const p of pts.slice(1)) {
    const se = Math.sqrt(truth(p.at) / 60);
    assert.ok(Math.abs(p.perMinute - truth(p.at)) <= 3 * se, `at ${p.at / 3600} h: ${p.perMinute} vs ${truth(p.at)}`);
  }
  const yaml = modelFile({ name: 'p', format: 'alb', files: 1, cal });
  assert.match(yaml, /profile:\n    period: 24h\n    points:\n      - \{ at: 0m, rate: [\d.]+\/min \}/);
});
