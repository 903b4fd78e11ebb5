// The parts of calibration on their own: path patterns, the reservoir, the fits and the choice
// between them, the model file's distribution syntax, and the command's bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fitServiceTimes, ksDistance } from '../../src/calibrate/fit.js';
import { distributionText } from '../../src/calibrate/model-file.js';
import { pathPattern } from '../../src/calibrate/path-patterns.js';
import { Reservoir } from '../../src/calibrate/reservoir.js';
import { makeSampler } from '../../src/kernel/distributions.js';
import { RandomStreams } from '../../src/kernel/random-streams.js';
import { parseDistribution } from '../../src/scenario/distribution-syntax.js';
import { capsim } from '../experiment/cli-helper.js';

test('path patterns: numbers, UUIDs, hashes, tokens and dates collapse; words stay', () => {
  assert.equal(pathPattern('/users/123'), '/users/:id');
  assert.equal(pathPattern('/users/123/orders/456/'), '/users/:id/orders/:id/');
  assert.equal(pathPattern('/o/3f2504e0-4f89-11d3-9a0c-0305e82c3301'), '/o/:uuid');
  assert.equal(pathPattern('/blob/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b'), '/blob/:hash');
  assert.equal(pathPattern('/reset/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5'), '/reset/:token');
  assert.equal(pathPattern('/reports/2026-12-02'), '/reports/:date');
  assert.equal(pathPattern('/api/v1/health'), '/api/v1/health');
  assert.equal(pathPattern('/'), '/');
  assert.equal(pathPattern('/static/app.css'), '/static/app.css');
  assert.equal(pathPattern('/static/app.3f2a9c81d0e4b7aa.js'), '/static/app.:hash.js');
});

test('reservoir: a uniform sample of fixed size, the same for the same stream', () => {
  const a = new Reservoir(1000, 3);
  const b = new Reservoir(1000, 3);
  for (let i = 0; i < 100_000; i++) {
    a.add(i, i % 10);
    b.add(i, i % 10);
  }
  assert.equal(a.size, 1000);
  assert.deepEqual(a.sorted(), b.sorted());
  const mean = a.sorted().reduce((x, y) => x + y, 0) / 1000;
  assert.ok(Math.abs(mean - 50_000) < 3 * 28_868 / Math.sqrt(1000), `mean ${mean}`);
  const tagged = a.sorted((t) => t === 0);
  assert.ok(tagged.every((v) => v % 10 === 0) && tagged.length > 50 && tagged.length < 150);
});

function sample(spec: string, n: number, seed = 1): Float64Array {
  const s = makeSampler(parseDistribution(spec), new RandomStreams(seed, 0).stream('fit-test'));
  return Float64Array.from({ length: n }, () => s()).sort();
}

test('fits: lognormal and gamma samples are recognised, with their parameters; a mixture goes empirical', () => {
  const ln = fitServiceTimes(sample('lognormal(mean=40ms, sd=25ms)', 5000));
  assert.equal(ln.kind, 'lognormal');
  assert.ok(Math.abs(ln.mean / 0.04 - 1) < 0.03 && Math.abs(ln.sd / 0.025 - 1) < 0.06, JSON.stringify(ln));
  const g = fitServiceTimes(sample('gamma(shape=2, scale=50ms)', 5000));
  assert.equal(g.kind, 'gamma');
  assert.ok(Math.abs(g.params.shape! / 2 - 1) < 0.08 && Math.abs(g.mean / 0.1 - 1) < 0.03, JSON.stringify(g.params));
  const mix = fitServiceTimes(sample('mix(0.7: const(5ms), 0.3: uniform(200ms, 400ms))', 5000));
  assert.equal(mix.kind, 'empirical');
  assert.ok(mix.ksLognormal > mix.threshold && mix.ksGamma > mix.threshold);
  // the table's quantiles are the sample's
  assert.equal(mix.quantiles[0]![1], 0.005);
  assert.ok(mix.quantiles.at(-1)![1] <= 0.4);
});

test('KS distance: 0 for a perfect fit of a large even sample, ~1 for a wrong one', () => {
  const u = Float64Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
  assert.ok(ksDistance(u, (x) => x) <= 0.0005 + 1e-12);
  assert.ok(ksDistance(u, (x) => (x < 2 ? 0 : 1)) > 0.99);
});

test('the fitted distributions are written in capsim syntax that parses back to the same distribution', () => {
  for (const spec of ['lognormal(mean=40ms, sd=25ms)', 'gamma(shape=2, scale=50ms)', 'mix(0.7: const(5ms), 0.3: uniform(200ms, 400ms))']) {
    const f = fitServiceTimes(sample(spec, 3000));
    const text = distributionText(f);
    const back = parseDistribution(text);
    const again = fitServiceTimes(Float64Array.from({ length: 3000 }, makeSampler(back, new RandomStreams(2, 0).stream('x'))).sort());
    assert.ok(Math.abs(again.mean / f.mean - 1) < 0.05, `${text}: ${again.mean} vs ${f.mean}`);
  }
});

test('capsim calibrate: bad input is exit 2 with one line', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-cal-'));
  const f = path.join(dir, 'x.log');
  writeFileSync(f, 'not a log\nat all\n');
  const a = capsim('calibrate', f);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /^capsim: .*x\.log: cannot tell the log format/);
  assert.equal(a.stderr.trim().split('\n').length, 1);
  const b = capsim('calibrate', f, '--format', 'apache');
  assert.equal(b.code, 2);
  assert.match(b.stderr, /--format apache: expected auto, cloudwatch or one of alb, elb, nginx, gunicorn, uwsgi/);
  const c = capsim('calibrate', path.join(dir, 'none.log'));
  assert.equal(c.code, 2);
  assert.match(c.stderr, /none\.log: no such file or directory/);
  const d = capsim('calibrate', f, '--format', 'alb', '--log-format', '$status');
  assert.equal(d.code, 2);
  assert.match(d.stderr, /--log-format goes with --format nginx or gunicorn/);
});

test('capsim calibrate on app-server logs: gunicorn with a --log-format, uWSGI, gzip; malformed lines reported', async () => {
  const { gzipSync } = await import('node:zlib');
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-cal-app-'));
  const g = path.join(dir, 'gunicorn.log.gz');
  const t0 = Date.UTC(2026, 11, 2, 10) / 1000;
  const clf = (t: number) => {
    const d = new Date(t * 1000);
    const p = (x: number) => String(x).padStart(2, '0');
    return `[${p(d.getUTCDate())}/Dec/2026:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000]`;
  };
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(`${clf(t0 + i * 0.4)} 200 GET /users/${i % 97} ${(0.02 + (i % 7) * 0.001).toFixed(6)}`);
  lines.splice(100, 0, 'Traceback (most recent call last):');
  writeFileSync(g, gzipSync(`${lines.join('\n')}\n`));
  const r = capsim('calibrate', g, '--format', 'gunicorn', '--log-format', '%(t)s %(s)s %(m)s %(U)s %(L)s', '--no-check', '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.read.malformed, 1);
  assert.equal(j.read.samples[0].line, 101);
  assert.equal(j.calibration.endpoints[0].pattern, '/users/:id');
  assert.equal(j.calibration.targets.count, 0);
  assert.ok(Math.abs(j.calibration.rate.perMinute - 150) < 1, String(j.calibration.rate.perMinute));
  const text = capsim('calibrate', g, '--format', 'gunicorn', '--log-format', '%(t)s %(s)s %(m)s %(U)s %(L)s', '--no-check');
  assert.match(text.stdout, /1 malformed/);
  assert.match(text.stdout, /malformed: .*gunicorn\.log\.gz:101: .*Traceback/);
  const u = path.join(dir, 'uwsgi.log');
  writeFileSync(
    u,
    Array.from({ length: 600 }, (_, i) => `[pid: 7|app: 0|req: ${i + 1}/${i + 1}] 10.0.0.9 () {28 vars in 321 bytes} [Wed Dec  2 10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} 2026] GET /api/thoughts/ => generated 138 bytes in ${4 + (i % 5)} msecs (HTTP/1.1 200) 2 headers in 72 bytes (1 switches on core 0)`).join('\n'),
  );
  const w = capsim('calibrate', u, '--no-check', '--json');
  assert.equal(w.code, 0, w.stderr);
  const k = JSON.parse(w.stdout);
  assert.equal(k.read.format, 'uwsgi');
  assert.equal(k.calibration.endpoints[0].pattern, '/api/thoughts/');
  assert.ok(Math.abs(k.calibration.endpoints[0].allMean - 0.006) < 0.0005);
});
