// calibrate from CloudWatch metrics: a model's run written as the export CloudWatch would hold
// (per-minute counts and TargetResponseTime statistics), calibrated back: the rate and the 502s
// come back within their intervals, the model file runs, and its observations file says the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { mmck } from '../../src/experiment/analytic.js';
import { parseMetricName } from '../../src/experiment/metrics.js';
import { runReplication } from '../../src/experiment/replication.js';
import { loadModelFile } from '../../src/scenario/load-model.js';
import { capsim } from '../experiment/cli-helper.js';
import { exportFromLog } from '../observe/export-from-log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capsim-cw-calibrate-'));

test('round trip: an M/M/c/K run as CloudWatch metrics; the rate and the 502s come back within their intervals', async () => {
  const log = path.join(dir, 'mmc.alb.log');
  // connectionClose: no close-race 502s, so that every 502 is M/M/c/K's loss (backlog-overflow)
  const sets = ['--set', 'traffic.rate=4.8/s', '--set', 'fleet.server.connectionClose=true'];
  const r = capsim('run', 'models/textbook/mmc.yaml', '--duration', '30m', '--replications', '1', ...sets, '--access-log', 'alb', log, '--json');
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout);
  // Ids m1, m2… that say nothing: the queries file beside the export names them
  const { data, queries } = await exportFromLog(log, { labels: 'ids', time: 'epoch-ms' });
  const exp = path.join(dir, 'mmc.json');
  writeFileSync(exp, JSON.stringify(data));
  writeFileSync(path.join(dir, 'mmc.queries.json'), JSON.stringify(queries));
  const model = path.join(dir, 'from-metrics.yaml');
  const c = capsim('calibrate', exp, '--out', model, '--json');
  assert.equal(c.code, 0, c.stderr);
  const out = JSON.parse(c.stdout);
  assert.equal(out.read.format, 'cloudwatch');
  assert.equal(out.observations, path.join(dir, 'from-metrics.observations.yaml'));
  const cal = out.calibration;
  assert.equal(cal.period, 60);
  assert.ok(cal.series.every((s: { identifiedBy: string }) => /its query \(mmc\.queries\.json\)/.test(s.identifiedBy)));

  // the rate: 4.8/s = 288/min within 3 standard errors
  const se = (cal.rate.ci95[1] - cal.rate.ci95[0]) / 3.92;
  assert.ok(Math.abs(cal.rate.perMinute - 288) <= 3 * se, `rate ${cal.rate.perMinute} ± ${se}`);

  // the 502s: the observation is what the run counted, and Erlang's M/M/c/K loss, within 3 sd
  const obs = parse(readFileSync(out.observations, 'utf8')).observations as { metric: string; value: number | string; sd: number | string; window: string }[];
  const e502 = obs.find((o) => o.metric === '502/5min')!;
  assert.ok(e502, JSON.stringify(obs));
  const value = Number(e502.value);
  const sd = Number(e502.sd);
  assert.ok(run.status['502'].mean > 100);
  assert.equal(run.causes['502']['close-race'].mean, 0);
  const ran = run.per5min['502'].mean;
  assert.ok(Math.abs(value - ran) <= 3 * sd, `502/5min ${value} ± ${sd} vs the run's ${ran}`);
  const truth = mmck(5, 25, 4.8, 1).loss * 4.8 * 300;
  assert.ok(Math.abs(value - truth) <= 3 * sd, `502/5min ${value} ± ${sd} vs M/M/c/K ${truth}`);
  assert.ok(sd >= Math.sqrt(value / (28 / 5)) * 0.999, `sd ${sd} below Poisson`);

  // every observation names a capsim metric; latency in ms; the window is the export's span
  for (const o of obs) assert.ok(parseMetricName(o.metric), o.metric);
  assert.match(String(obs.find((o) => o.metric === 'p99')!.value), /^[\d.]+ms$/);
  assert.equal(e502.window, '28m');

  // the model runs as it is: one GUESSed endpoint, the rate, the service time from TargetResponseTime
  const yaml = readFileSync(model, 'utf8');
  assert.match(yaml, /# GUESS: one endpoint for every request/);
  assert.match(yaml, /rate: [\d.]+\/min +# RequestCount \(Sum\)/);
  assert.match(yaml, /- wait: lognormal\(mean=[\d.]+ms, sd=[\d.]+ms\)\n/);
  const m = loadModelFile(model, ['simulation.duration=2m', 'simulation.warmup=0s']);
  assert.equal(m.fleet.containers, 1);
  const rep = runReplication(m, 0);
  assert.ok(rep.status[0]! > 100);
});

test('round trip without waiting: TargetResponseTime\'s mean is the service time, the targets are the fleet\'s', async () => {
  // test/calibrate/round-trip.yaml: 600/min on 2 × 16 sync workers (requests almost never wait);
  // service 3:1 lognormal(mean 40 ms) and gamma(mean 100 ms): 55 ms on average
  const log = path.join(dir, 'rt.alb.log');
  const r = capsim('run', 'test/calibrate/round-trip.yaml', '--duration', '10m', '--access-log', 'alb', log);
  assert.equal(r.code, 0, r.stderr);
  const { data } = await exportFromLog(log, { time: 'iso-z', order: 'oldest' });
  const exp = path.join(dir, 'rt.json');
  writeFileSync(exp, JSON.stringify(data));
  const c = capsim('calibrate', exp, '--json');
  assert.equal(c.code, 0, c.stderr);
  const cal = JSON.parse(c.stdout).calibration;
  const mean = cal.reading.observations.find((o: { observation: { metric: { kind: string; stat?: string } } }) => o.observation.metric.stat === 'mean').observation;
  // the target time is service plus a connect and a round trip (at most 1.5 ms), in whole ms
  const gap = mean.form.value - 55;
  assert.ok(gap >= -3 * mean.form.sd - 0.5 && gap <= 3 * mean.form.sd + 1.5, `mean ${mean.form.value} ± ${mean.form.sd} vs 55 ms`);
  assert.equal(cal.containers.count, 2);
  // the check: the calibrated model, run as written, has TargetResponseTime's mean and p50 within 10%
  const check = JSON.parse(c.stdout).check;
  for (const l of check.latency.filter((x: { stat: string }) => x.stat === 'Average' || x.stat === 'p50')) {
    assert.ok(Math.abs(l.modelMs / l.metricsMs - 1) < 0.1, `${l.stat}: model ${l.modelMs} vs metrics ${l.metricsMs}`);
  }
  assert.equal(check.fiveXx.metrics, 0);
  assert.ok(Math.abs(cal.service.mean * 1000 - 55) < 15, `service ${cal.service.mean}: the lognormal through the p50 and p99 of a mixture`);
  assert.ok(Math.abs(cal.rate.perMinute - 600) <= 3 * ((cal.rate.ci95[1] - cal.rate.ci95[0]) / 3.92));
});

test('an export of 4 hours at 5-minute periods: a daily profile of the true hourly rates', () => {
  const T0 = Date.parse('2026-12-07T00:00:00Z') / 1000;
  const rate = (t: number) => (t <= 7200 ? 60 + (180 * t) / 7200 : 240 - (180 * (t - 7200)) / 7200); // per minute
  const ts: string[] = [];
  const vs: number[] = [];
  for (let k = 47; k >= 0; k--) {
    ts.push(new Date((T0 + k * 300) * 1000).toISOString().replace('.000Z', 'Z'));
    vs.push(Math.round(rate(k * 300 + 150) * 5));
  }
  const f = path.join(dir, 'day.json');
  writeFileSync(f, JSON.stringify({ MetricDataResults: [{ Id: 'r', Label: 'RequestCount', Timestamps: ts, Values: vs, StatusCode: 'Complete' }] }));
  const c = capsim('calibrate', f, '--json');
  assert.equal(c.code, 0, c.stderr);
  const cal = JSON.parse(c.stdout).calibration;
  assert.equal(cal.period, 300);
  assert.equal(cal.span, 4 * 3600);
  const pts = cal.profile as { at: number; perMinute: number }[];
  assert.equal(pts.length, 5);
  for (const p of pts.slice(1)) assert.ok(Math.abs(p.perMinute - rate(p.at)) < 1, `at ${p.at / 3600} h: ${p.perMinute} vs ${rate(p.at)}`);
  // --observations FILE without --out; --no-check is accepted and changes nothing
  const obsFile = path.join(dir, 'day.observations.yaml');
  const d = capsim('calibrate', '--format', 'cloudwatch', f, '--observations', obsFile, '--no-check');
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /model: not written \(give --out model\.yaml\)\nobservations: .*day\.observations\.yaml\n$/);
  const obs = parse(readFileSync(obsFile, 'utf8')).observations;
  assert.deepEqual(obs.map((o: { metric: string }) => o.metric), ['requests/min']);
  // only RequestCount: the service time, the targets and the workers are GUESSes
  const m = capsim('calibrate', f, '--out', path.join(dir, 'day.yaml'));
  assert.equal(m.code, 0, m.stderr);
  const yaml = readFileSync(path.join(dir, 'day.yaml'), 'utf8');
  assert.match(yaml, /profile:\n    period: 24h\n    points:\n      - \{ at: 0m, rate: [\d.]+\/min \}/);
  assert.match(yaml, /- wait: 100ms +# GUESS: no TargetResponseTime/);
  assert.match(yaml, /containers: 2 +# GUESS: no HealthyHostCount/);
});

test('an export of two days: each hour of the daily profile is the mean of its two days', () => {
  const T0 = Date.parse('2026-12-05T00:00:00Z') / 1000;
  const rate = (h: number) => 100 + 10 * h; // per minute, day 1; day 2 is 20/min higher
  const ts: number[] = [];
  const vs: number[] = [];
  for (let k = 0; k < 48; k++) {
    ts.push(T0 + k * 3600);
    vs.push((rate(k % 24) + (k >= 24 ? 20 : 0)) * 60);
  }
  const f = path.join(dir, 'two-days.json');
  writeFileSync(f, JSON.stringify({ Label: 'RequestCount', Datapoints: ts.map((t, i) => ({ Timestamp: t, Sum: vs[i], Unit: 'Count' })) }));
  const c = capsim('calibrate', f, '--json');
  assert.equal(c.code, 0, c.stderr);
  const pts = JSON.parse(c.stdout).calibration.profile as { at: number; perMinute: number }[];
  assert.equal(pts.length, 25);
  for (const p of pts.slice(1)) assert.ok(Math.abs(p.perMinute - (rate((p.at - 1800) / 3600) + 10)) < 1e-9, `${p.at}: ${p.perMinute}`);
});

test('calibrate refuses what a CloudWatch calibration cannot use', () => {
  const f = path.join(dir, 'no-requests.json');
  writeFileSync(f, JSON.stringify({ MetricDataResults: [{ Id: 'e', Label: 'HTTPCode_ELB_502_Count', Timestamps: [120, 60], Values: [1, 2], StatusCode: 'Complete' }] }));
  const r = capsim('calibrate', f);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no RequestCount \(Sum\) series with data: calibration needs the request rate/);
  const g = capsim('calibrate', f, '--format', 'cloudwatch', '--log-format', '%h');
  assert.equal(g.code, 2);
  assert.match(g.stderr, /--log-format goes with --format nginx or gunicorn/);
  const h = capsim('calibrate', 'models/textbook/mmc.yaml', '--format', 'alb', '--observations', 'x.yaml');
  assert.equal(h.code, 2);
  assert.match(h.stderr, /--observations goes with CloudWatch exports/);
});
