import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExperimentInputError } from '../../src/experiment/errors.js';
import { estimate, parseMetricName } from '../../src/experiment/metrics.js';
import { judge, parseSlo } from '../../src/experiment/slo.js';
import { fakeRep } from './fixtures.js';

test('SLO expressions: counts per 5 minutes, rates, latency percentiles', () => {
  const cases: [string, string, string, number][] = [
    ['502/5min<=1', 'per5min', '<=', 1],
    ['5xx/5min<=2', 'per5min', '<=', 2],
    ['502-rate<=0.01%', 'rate', '<=', 0.0001],
    ['5xx-rate<=1%', 'rate', '<=', 0.01],
    ['5xx-rate<0.001', 'rate', '<', 0.001],
    ['p99<=800ms', 'latency', '<=', 800],
    ['p95 <= 1.5s', 'latency', '<=', 1500],
    ['p50<=100ms', 'latency', '<=', 100],
    ['mean<250ms', 'latency', '<', 250],
    ['504/5min<=0', 'per5min', '<=', 0],
  ];
  for (const [text, kind, op, threshold] of cases) {
    const s = parseSlo(text);
    assert.equal(s.metric.kind, kind, text);
    assert.equal(s.op, op, text);
    assert.ok(Math.abs(s.threshold - threshold) < 1e-12, `${text}: ${s.threshold}`);
  }
  assert.equal(parseSlo('502/5MIN <= 1').text, '502/5min<=1');
});

test('malformed SLOs are input errors that name the expression and the form', () => {
  const bad: [string, RegExp][] = [
    ['502/5min', /no comparison/],
    ['502/5min>=1', /upper limit/],
    ['502/hour<=1', /unknown metric "502\/hour"/],
    ['p99<=800', /no unit/],
    ['p99<=fast', /not a duration/],
    ['502-rate<=2%x', /not a rate/],
    ['502-rate<=150%', /above 100%/],
    ['502/5min<=', /no value/],
    ['502/5min<=-1', /not a number/],
    ['<=1', /no metric before/],
    ['502/5min=<1', /upper limit/],
  ];
  for (const [text, re] of bad) {
    assert.throws(
      () => parseSlo(text),
      (e: unknown) => e instanceof ExperimentInputError && e.message.startsWith(`--slo ${text}:`) && re.test(e.message) && /expected METRIC<=VALUE/.test(e.message),
      text,
    );
  }
});

test('metric names', () => {
  assert.deepEqual(parseMetricName('502/5min'), { kind: 'per5min', status: '502' });
  assert.deepEqual(parseMetricName('5xx-rate'), { kind: 'rate', status: '5xx' });
  assert.deepEqual(parseMetricName('p99'), { kind: 'latency', stat: 'p99' });
  assert.equal(parseMetricName('p98'), undefined);
});

test('estimates: per 5 minutes scales the count; a rate divides by requests; 5xx sums the statuses', () => {
  const reps = [0, 1, 2, 3].map((r) => fakeRep(r, { status: [990, 1, 6, 2, 1], arrivals: 1000 }));
  const per5 = estimate({ kind: 'per5min', status: '502' }, reps, 3600);
  assert.equal(per5.mean, 0.5); // 6 per hour = 0.5 per 5 min
  assert.equal(per5.method, 'poisson'); // 24 in all: rare
  const rate = estimate({ kind: 'rate', status: '5xx' }, reps, 3600);
  assert.ok(Math.abs(rate.mean - 0.01) < 1e-12);
  assert.ok(rate.lo < 0.01 && rate.hi > 0.01);
});

test('verdicts: meets by the estimate; certain when the whole interval is on one side', () => {
  const slo = parseSlo('p99<=800ms');
  const tight = [700, 702, 698, 701, 699].map((p99, r) => fakeRep(r, { p99 }));
  const v1 = judge(slo, tight, 3600);
  assert.equal(v1.meets, true);
  assert.equal(v1.certain, true);
  assert.ok(v1.pMeets > 0.999);
  const wide = [500, 1100, 700, 900, 760].map((p99, r) => fakeRep(r, { p99 }));
  const v2 = judge(slo, wide, 3600);
  assert.equal(v2.meets, true); // mean 792
  assert.equal(v2.certain, false);
  assert.ok(v2.pMeets > 0.5 && v2.pMeets < 0.7, String(v2.pMeets));
  const bad = [900, 910, 905].map((p99, r) => fakeRep(r, { p99 }));
  const v3 = judge(slo, bad, 3600);
  assert.equal(v3.meets, false);
  assert.equal(v3.certain, true);
  // No successful request at all: no latency, not met.
  const none = [0, 1].map((r) => fakeRep(r, { p99: NaN }));
  assert.equal(judge(slo, none, 3600).meets, false);
  // Zero 502s in 10 one-hour replications: 0 [0, 0.031] per 5 min: certainly within 1.
  const zero = Array.from({ length: 10 }, (_, r) => fakeRep(r));
  const v4 = judge(parseSlo('502/5min<=1'), zero, 3600);
  assert.equal(v4.meets && v4.certain, true);
  assert.equal(judge(parseSlo('502/5min<1'), zero, 3600).meets, true);
});
