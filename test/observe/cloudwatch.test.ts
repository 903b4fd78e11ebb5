// Reading CloudWatch exports as the AWS CLI writes them: get-metric-data (newest first, pages,
// PartialData, Forbidden) and get-metric-statistics (unordered, ExtendedStatistics), both time
// stamp styles, missing minutes as zero counts, which metric a result is, and the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cloudwatchObservations, countFigure } from '../../src/observe/cloudwatch/observations.js';
import { parseIdMapping, readCloudWatch } from '../../src/observe/cloudwatch/series.js';
import { OBSERVED_READERS } from '../../src/observe/readers.js';
import { metricName } from '../../src/experiment/metrics.js';
import { capsim } from '../experiment/cli-helper.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capsim-cloudwatch-'));
let n = 0;
function file(content: unknown, name?: string): string {
  const f = path.join(dir, name ?? `export-${++n}.json`);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return f;
}

const T0 = Date.parse('2026-12-07T10:00:00Z') / 1000;
const isoZ = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** A get-metric-data result, newest first as the CLI prints it, from [minute, value] pairs. */
function result(id: string, label: string, points: [number, number][], time: (t: number) => unknown = isoZ, status = 'Complete') {
  const sorted = [...points].sort((a, b) => b[0] - a[0]);
  return { Id: id, Label: label, Timestamps: sorted.map(([m]) => time(T0 + 60 * m)), Values: sorted.map(([, v]) => v), StatusCode: status };
}

// 20 minutes of requests (100 to 119 per minute), 502s in three minutes only (CloudWatch sends
// nothing for the others), two minutes with no RequestCount point at all (no traffic).
const minutes = Array.from({ length: 20 }, (_, i) => i).filter((m) => m !== 7 && m !== 8);
const REQUESTS: [number, number][] = minutes.map((m) => [m, 100 + m]);
const E502: [number, number][] = [
  [2, 3],
  [11, 1],
  [19, 5],
];
const LATENCY: [number, number][] = minutes.map((m) => [m, 0.05 + m / 1000]);
const TOTAL = REQUESTS.reduce((a, [, v]) => a + v, 0);

function standard(time?: (t: number) => unknown) {
  return {
    MetricDataResults: [
      result('requests', 'RequestCount', REQUESTS, time),
      result('elb502', 'HTTPCode_ELB_502_Count', E502, time),
      result('p99', 'TargetResponseTime p99', LATENCY, time),
    ],
    Messages: [],
  };
}

const byMetric = (f: string) => new Map(cloudwatchObservations(readCloudWatch([f])).observations.map((o) => [metricName(o.observation.metric), o.observation]));

test('get-metric-data, newest first, missing minutes: counts are zero where CloudWatch sent nothing', () => {
  const data = readCloudWatch([file(standard())]);
  assert.equal(data.period, 60);
  assert.equal(data.slots, 20);
  assert.equal(data.start, T0);
  const obs = byMetric(file(standard()));
  const rate = obs.get('requests/min')!;
  assert.equal(rate.form.kind, 'value');
  // over the whole 20 minutes, minutes 7 and 8 counting as 0
  assert.ok(rate.form.kind === 'value' && Math.abs(rate.form.value - TOTAL / 20) < 1e-9, JSON.stringify(rate.form));
  const e = obs.get('502/5min')!;
  assert.ok(e.form.kind === 'value' && Math.abs(e.form.value - (9 / 1200) * 300) < 1e-9, JSON.stringify(e.form));
  assert.equal(e.window, 1200);
  assert.equal(e.source.endsWith('#elb502'), true);
  // p99 in ms, weighted by the minutes' requests
  const p99 = obs.get('p99')!;
  const w = REQUESTS.reduce((a, [m, r]) => a + r * (0.05 + m / 1000), 0) / TOTAL;
  assert.ok(p99.form.kind === 'value' && Math.abs(p99.form.value - w * 1000) < 1e-9);
});

test('both time stamp styles (ISO-8601 with Z or +00:00, epoch seconds or milliseconds) and both orders read the same', () => {
  const ref = JSON.stringify([...byMetric(file(standard())).values()].map((o) => [o.form, o.window]));
  for (const time of [(t: number) => isoZ(t).replace('Z', '+00:00'), (t: number) => t, (t: number) => t * 1000, (t: number) => new Date(t * 1000).toISOString()]) {
    assert.equal(JSON.stringify([...byMetric(file(standard(time))).values()].map((o) => [o.form, o.window])), ref);
  }
  const oldest = standard();
  for (const r of oldest.MetricDataResults) {
    r.Timestamps.reverse();
    r.Values.reverse();
  }
  assert.equal(JSON.stringify([...byMetric(file(oldest)).values()].map((o) => [o.form, o.window])), ref);
  // A time without its zone is refused, naming the field.
  const naive = standard((t) => isoZ(t).replace('Z', ''));
  assert.throws(() => readCloudWatch([file(naive)]), /MetricDataResults\.0\.Timestamps\.0: "2026-12-07T10:19:00": expected an ISO-8601 time with its zone/);
});

test('several pages: concatenated in one file, or in several files, read as one export', () => {
  const ref = JSON.stringify([...byMetric(file(standard())).values()].map((o) => o.form));
  const page = (lo: number, hi: number, status: string, token?: string) => ({
    MetricDataResults: [
      result('requests', 'RequestCount', REQUESTS.filter(([m]) => m >= lo && m < hi), isoZ, status),
      result('elb502', 'HTTPCode_ELB_502_Count', E502.filter(([m]) => m >= lo && m < hi), isoZ, status),
      result('p99', 'TargetResponseTime p99', LATENCY.filter(([m]) => m >= lo && m < hi), isoZ, status),
    ],
    ...(token ? { NextToken: token } : {}),
    Messages: [],
  });
  // newest first: the first page holds the last minutes and says PartialData
  const one = file(`${JSON.stringify(page(10, 20, 'PartialData', 'abc'), null, 2)}\n${JSON.stringify(page(0, 10, 'Complete'), null, 2)}\n`);
  assert.equal(JSON.stringify([...byMetric(one).values()].map((o) => o.form)), ref);
  const data = readCloudWatch([one]);
  assert.equal(data.series.some((s) => s.partial), false);
  const a = file(page(10, 20, 'PartialData', 'abc'));
  const b = file(page(0, 10, 'Complete'));
  assert.equal(JSON.stringify([...byMetric(a).values()].length > 0), 'true');
  assert.equal(JSON.stringify(cloudwatchObservations(readCloudWatch([a, b])).observations.map((o) => o.observation.form)), ref);
  // overlapping pages with the same values are fine; with different values they are refused
  assert.doesNotThrow(() => readCloudWatch([a, file(page(5, 20, 'Complete'))]));
  const bad = page(10, 20, 'Complete');
  bad.MetricDataResults[0]!.Values[0] = 1;
  assert.throws(() => readCloudWatch([a, file(bad)]), /two values at 2026-12-07T10:19:00Z/);
});

test('PartialData with no later page: used, said, and counts zero only inside what came', () => {
  const partial = {
    MetricDataResults: [result('requests', 'RequestCount', REQUESTS), result('elb502', 'HTTPCode_ELB_502_Count', E502.filter(([m]) => m >= 10), isoZ, 'PartialData')],
    NextToken: 'more',
  };
  const data = readCloudWatch([file(partial)]);
  assert.ok(data.warnings.some((w) => /PartialData: CloudWatch returned part of the series/.test(w)), data.warnings.join('\n'));
  assert.ok(data.warnings.some((w) => /NextToken present/.test(w)));
  const e = cloudwatchObservations(data).observations.find((o) => metricName(o.observation.metric) === '502/5min')!.observation;
  // minutes 11 to 19: 6 502s over 9 minutes, not over the export's 20
  assert.equal(e.window, 9 * 60);
  assert.ok(e.form.kind === 'value' && Math.abs(e.form.value - (6 / 540) * 300) < 1e-9, JSON.stringify(e.form));
});

test('get-metric-statistics: unordered Datapoints, several statistics and ExtendedStatistics', () => {
  // one call with --statistics, one with --extended-statistics (the API takes one or the other)
  const shuffle = <T extends { Timestamp: string }>(points: T[]) => points.sort((a, b) => ((a.Timestamp.charCodeAt(15) * 7) % 11) - ((b.Timestamp.charCodeAt(15) * 7) % 11));
  const stats = shuffle(minutes.map((m) => ({ Timestamp: isoZ(T0 + 60 * m).replace('Z', '+00:00'), Average: 0.04 + m / 1000, Maximum: 0.2, Unit: 'Seconds' })));
  const ext = shuffle(minutes.map((m) => ({ Timestamp: isoZ(T0 + 60 * m).replace('Z', '+00:00'), ExtendedStatistics: { p99: 0.05 + m / 1000, 'p99.9': 0.3 }, Unit: 'Seconds' })));
  assert.notDeepEqual(ext.map((p) => p.Timestamp), [...ext.map((p) => p.Timestamp)].sort());
  const f = file({ Label: 'TargetResponseTime', Datapoints: stats });
  const g = file({ Label: 'TargetResponseTime', Datapoints: ext });
  const reqs = file({ Label: 'RequestCount', Datapoints: REQUESTS.map(([m, v]) => ({ Timestamp: isoZ(T0 + 60 * m), Sum: v, Unit: 'Count' })).reverse() });
  const reading = cloudwatchObservations(readCloudWatch([reqs, f, g]));
  // adjacent time ranges in separate calls (1,440 points at most per call) join into one series
  const half = (lo: number, hi: number) => file({ Label: 'RequestCount', Datapoints: REQUESTS.filter(([m]) => m >= lo && m < hi).map(([m, v]) => ({ Timestamp: isoZ(T0 + 60 * m), Sum: v, Unit: 'Count' })) });
  const joined = cloudwatchObservations(readCloudWatch([half(10, 20), half(0, 10), f, g]));
  assert.deepEqual(joined.observations.map((o) => o.observation.form), reading.observations.map((o) => o.observation.form));
  const got = new Map(reading.observations.map((o) => [metricName(o.observation.metric), o.observation]));
  assert.deepEqual([...got.keys()].sort(), ['mean', 'p99', 'requests/min']);
  const p99 = got.get('p99')!;
  const w = REQUESTS.reduce((a, [m, r]) => a + r * (0.05 + m / 1000), 0) / TOTAL;
  assert.ok(p99.form.kind === 'value' && Math.abs(p99.form.value - w * 1000) < 1e-9);
  assert.ok(reading.unused.some((u) => /TargetResponseTime \(Maximum\)/.test(u)));
  assert.ok(reading.unused.some((u) => /TargetResponseTime \(p99\.9\)/.test(u)));
});

test('which metric a result is: its query beside the export, --cloudwatch-id, or a clear refusal', () => {
  const sub = mkdtempSync(path.join(dir, 'q-'));
  const data = { MetricDataResults: [result('m1', 'm1', REQUESTS), result('m2', 'anything', E502)] };
  const f = path.join(sub, 'alb.json');
  writeFileSync(f, JSON.stringify(data));
  // nothing names them: no usable series, each one said with what to do
  assert.throws(() => readCloudWatch([f]), /no usable series: .*alb\.json#m1 .*--cloudwatch-id m1=METRIC:STAT/);
  // --cloudwatch-id by Id (and by Label)
  const mapped = readCloudWatch([f], parseIdMapping(['m1=RequestCount:Sum', 'anything=HTTPCode_ELB_502_Count']));
  assert.deepEqual(mapped.series.map((s) => `${s.metric.name}:${s.stat}:${s.identifiedBy}`), ['RequestCount:Sum:--cloudwatch-id', 'HTTPCode_ELB_502_Count:Sum:--cloudwatch-id']);
  assert.throws(() => parseIdMapping(['m1=Requests']), /--cloudwatch-id m1=Requests: expected ID=METRIC\[:STAT\]/);
  // the queries file beside it (NAME.queries.json), as given to --metric-data-queries
  writeFileSync(
    path.join(sub, 'alb.queries.json'),
    JSON.stringify([
      { Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount' }, Period: 60, Stat: 'Sum' } },
      { Id: 'm2', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_ELB_502_Count' }, Period: 60, Stat: 'Sum' } },
    ]),
  );
  const q = readCloudWatch([f]);
  assert.deepEqual(q.series.map((s) => s.metric.name), ['RequestCount', 'HTTPCode_ELB_502_Count']);
  assert.equal(q.series[0]!.identifiedBy, 'its query (alb.queries.json)');
  assert.equal(q.periodFrom, 'the queries file');
  // a label naming a count but not its statistic, with fractional values: not a Sum, refused
  const avg = file({ MetricDataResults: [result('r', 'RequestCount', [[0, 1], [1, 1.5]])] });
  assert.throws(() => readCloudWatch([avg]), /value 1\.5 at .* is not a whole number: not the Sum of RequestCount/);
  // a Label naming the statistic is read so
  const named = readCloudWatch([file({ MetricDataResults: [result('r', 'RequestCount Average', [[0, 1], [1, 1]])] })]);
  assert.equal(named.series[0]!.stat, 'Average');
  // CloudWatch's default Label (the metric's name) for two statistics of one metric: refused, saying why
  const twice = { MetricDataResults: [result('a', 'TargetResponseTime', LATENCY), result('b', 'TargetResponseTime', LATENCY.map(([m, v]) => [m, v * 2] as [number, number]))] };
  assert.throws(() => readCloudWatch([file(twice)]), /two series of TargetResponseTime \(Average\) at the same times: .*different statistics and Labels that name none/);
  // UnHealthyHostCount is not HealthyHostCount
  const hosts = readCloudWatch([file({ MetricDataResults: [result('u', 'UnHealthyHostCount', [[0, 1], [1, 0]]), result('h', 'HealthyHostCount', [[0, 3], [1, 4]])] })]);
  assert.deepEqual(hosts.series.map((s) => s.metric.name), ['HealthyHostCount', 'UnHealthyHostCount']);
});

test('the period: inferred from the spacing, the same for every series, or refused', () => {
  const five = { MetricDataResults: [result('r', 'RequestCount', [0, 5, 10, 20].map((m) => [m, 500] as [number, number]))] };
  assert.equal(readCloudWatch([file(five)]).period, 300);
  const mixed = {
    MetricDataResults: [result('r', 'RequestCount', REQUESTS), result('e', 'HTTPCode_ELB_502_Count', [0, 5, 10, 15, 19.5].map((m) => [m, 1] as [number, number]))],
  };
  assert.throws(() => readCloudWatch([file(mixed)]), /HTTPCode_ELB_502_Count has a data point at 2026-12-07T10:19:30Z, not a whole number of 60-second periods/);
  const coarse = {
    MetricDataResults: [result('r', 'RequestCount', REQUESTS), result('e', 'HTTPCode_ELB_502_Count', [0, 5, 10, 15, 20, 25].map((m) => [m, 10] as [number, number]))],
  };
  assert.throws(() => readCloudWatch([file(coarse)]), /all 300 s apart while others are 60 s apart/);
  const single = { MetricDataResults: [result('r', 'RequestCount', [[0, 10]])] };
  assert.throws(() => readCloudWatch([file(single)]), /one data point per series: the period cannot be told/);
  // two series of one metric at the same times (per Availability Zone) are refused
  const az = { MetricDataResults: [result('a', 'RequestCount', REQUESTS), result('b', 'RequestCount', REQUESTS)] };
  assert.throws(() => readCloudWatch([file(az)]), /two series of RequestCount \(Sum\) at the same times/);
});

test('a count\'s sd: over-dispersed Poisson from the windows, never below Poisson, never below one count', () => {
  const steady = Float64Array.from({ length: 60 }, () => 10); // 50 per 5 minutes, no spread
  const a = countFigure(steady, 60, 300);
  assert.equal(a.value, 50);
  assert.ok(Math.abs(a.sd - Math.sqrt(50 / 12)) < 1e-12, `${a.sd}`); // Poisson: sqrt(mean per window / windows)
  const bursty = Float64Array.from({ length: 60 }, (_, i) => (Math.floor(i / 5) % 2 === 0 ? 0 : 20));
  const b = countFigure(bursty, 60, 300);
  assert.equal(b.value, 50);
  assert.ok(b.sd > 3 * a.sd, `${b.sd}`);
  assert.ok(b.dispersion > 10);
  const none = countFigure(new Float64Array(60), 60, 300);
  assert.equal(none.value, 0);
  assert.ok(Math.abs(none.sd - 300 / 3600) < 1e-12); // one count over the hour, per 5 minutes
});

test('5xx: the balancer\'s and the targets\' together; the balancer\'s alone is an at-least bound', () => {
  const both = { MetricDataResults: [result('r', 'RequestCount', REQUESTS), result('e', 'HTTPCode_ELB_5XX_Count', E502), result('t', 'HTTPCode_Target_5XX_Count', [[4, 6]])] };
  const o = byMetric(file(both)).get('5xx/5min')!;
  assert.ok(o.form.kind === 'value' && Math.abs(o.form.value - (15 / 1200) * 300) < 1e-9);
  const elbOnly = { MetricDataResults: [result('r', 'RequestCount', REQUESTS), result('e', 'HTTPCode_ELB_5XX_Count', E502)] };
  const b = byMetric(file(elbOnly)).get('5xx/5min')!;
  assert.equal(b.form.kind, 'at-least');
  const ecs = {
    MetricDataResults: [
      result('c', 'CPUUtilization', REQUESTS.map(([m]) => [m, 40])),
      result('m', 'MemoryUtilization Average', REQUESTS.map(([m]) => [m, 30 + (m % 2)])),
      result('x', 'MemoryUtilization Maximum', REQUESTS.map(([m]) => [m, 50 + m])),
      result('h', 'HealthyHostCount', REQUESTS.map(([m]) => [m, 4])),
      result('k', 'TargetConnectionErrorCount', [[3, 2]]),
    ],
  };
  const e = byMetric(file(ecs));
  assert.ok(e.get('cpu')!.form.kind === 'value' && Math.abs((e.get('cpu')!.form as { value: number }).value - 0.4) < 1e-12);
  assert.ok(Math.abs((e.get('memory')!.form as { value: number }).value - 0.305) < 0.01);
  assert.equal((e.get('memory-max')!.form as { value: number }).value, 0.69);
  assert.equal((e.get('healthy-hosts')!.form as { value: number }).value, 4);
  assert.ok(e.has('conn-errors/5min'));
});

test('files that are not exports: empty, not JSON, another JSON, Forbidden: one line naming the file and field, exit 2', () => {
  const cases: [string, RegExp][] = [
    [file('', 'empty.json'), /empty\.json: empty file: expected the JSON output of `aws cloudwatch get-metric-data`/],
    [file('2026-12-07T10:00:00Z GET /x 200\n', 'log.json'), /log\.json: not JSON \("2026-12-07T10:00:00Z GET \/x 200\\n" at character 1\)/],
    [file({ name: 'a model' }, 'model.json'), /model\.json: a JSON object with keys name: expected the JSON output/],
    [file('{"MetricDataResults": [', 'cut.json'), /cut\.json: the JSON ends before its last bracket closes/],
    [file({ MetricDataResults: [result('r', 'RequestCount', REQUESTS), { ...result('e', 'HTTPCode_ELB_502_Count', []), StatusCode: 'Forbidden' }] }, 'forbidden.json'), /forbidden\.json: MetricDataResults\.1\.StatusCode: Forbidden \(Id "e"\)/],
    [file({ MetricDataResults: [{ ...result('r', 'RequestCount', REQUESTS), StatusCode: 'InternalError' }] }, 'internal.json'), /internal\.json: MetricDataResults\.0\.StatusCode: InternalError/],
    [file({ MetricDataResults: [result('r', 'RequestCount', [])] }, 'nodata.json'), /nodata\.json: no usable series: expected a series of RequestCount/],
    [file({ MetricDataResults: [{ Id: 'r', Label: 'RequestCount', Timestamps: [1, 2], Values: [1] }] }, 'uneven.json'), /uneven\.json: MetricDataResults\.0: 2 Timestamps but 1 Values/],
  ];
  for (const [f, message] of cases) {
    assert.throws(() => readCloudWatch([f]), message, f);
    const r = capsim('calibrate', '--format', 'cloudwatch', f);
    assert.equal(r.code, 2, `${f}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  // --format auto sends an export to the CloudWatch reader, and its errors with it
  const r = capsim('calibrate', path.join(dir, 'forbidden.json'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /MetricDataResults\.1\.StatusCode: Forbidden/);
});

test('the --observed reader: detected by its keys, read into observations', async () => {
  const f = file(standard());
  const head = JSON.stringify(standard()).slice(0, 65536);
  const reader = OBSERVED_READERS.find((r) => r.detect(f, head));
  assert.equal(reader?.kind, 'cloudwatch');
  // An observations file is not taken for an export (the observations-file reader reads it).
  assert.equal(reader!.detect('x.yaml', 'observations:\n  - metric: 502/5min\n'), false);
  assert.equal(OBSERVED_READERS.find((r) => r.detect('x.yaml', 'observations:\n  - metric: 502/5min\n'))?.kind, 'observations');
  const obs = await reader!.read(f);
  assert.deepEqual(obs.map((o) => metricName(o.metric)), ['requests/min', '502/5min', 'p99']);
  for (const o of obs) assert.ok(o.form.sd > 0 && Number.isFinite(o.form.sd), o.name);
});
