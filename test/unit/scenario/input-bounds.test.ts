// Every value a model gives is finite and bounded, and each kind of bad input named in issue 11
// is an error (exit 2 on the command line) that names the key path and the form expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelText } from '../../../src/scenario/parse-model.js';
import { parseCount, parseDuration, parseNumber, parseRate, parseSize, show } from '../../../src/scenario/units.js';
import { parseModelWithProvenance } from '../../../src/scenario/provenance.js';
import { modelWarnings } from '../../../src/scenario/warnings.js';
import { MINIMAL, modelError } from './fixtures.js';

const FILE = 'models/x.yaml';
const err = (sets: string[], text = MINIMAL) => modelError(() => parseModelText(text, FILE, sets)).message;

test('units: numbers that overflow to Infinity, and values past the bounds, are refused', () => {
  assert.throws(() => parseDuration('1e309s'), /"1e309s" is not a finite number/);
  assert.throws(() => parseDuration('10001d'), /above the largest capsim accepts \(10000d\)/);
  assert.equal(parseDuration('10000d'), 10_000 * 86400);
  assert.throws(() => parseRate('1e309/s'), /not a finite number/);
  assert.throws(() => parseRate('1e12/s'), /above the largest capsim accepts \(10M\/s\)/);
  assert.equal(parseRate('10M/s'), 1e7);
  assert.throws(() => parseNumber('1e309'), /not a finite number/);
  assert.throws(() => parseSize('2048TiB'), /above the largest capsim accepts \(1024TiB\)/);
  assert.throws(() => parseCount('1e300'), /above the largest whole number capsim counts exactly/);
  assert.equal(parseCount('1e9'), 1e9);
});

test('--duration 1e309s, rate 1e309/s, --set traffic.rate=1e12/s and exp(1e309ms) name the key path', () => {
  assert.match(err(['simulation.duration=1e309s']), /--set simulation.duration=1e309s: simulation.duration: got "1e309s" \("1e309s" is not a finite number\), expected a duration > 0/);
  assert.match(err([], MINIMAL.replace(/rate: [^\n]+/, 'rate: 1e309/s')), /:\d+: traffic.rate: got "1e309\/s" \("1e309\/s" is not a finite number\), expected a rate/);
  assert.match(err(['traffic.rate=1e12/s']), /traffic.rate: got "1e12\/s" \("1e12\/s" is above the largest capsim accepts \(10M\/s\)\)/);
  assert.match(err(['traffic.phases.0.cpu=exp(1e309ms)']), /traffic.phases.0.cpu: got "exp\(1e309ms\)" \(exp\(\): mean: "1e309ms" is not a finite number\)/);
  assert.match(err(['simulation.replications=1e400']), /simulation.replications: got Infinity \(Infinity is not a finite number\), expected a whole number >= 1/);
});

test('closed users and bursts are bounded by the events the kernel can hold', () => {
  assert.match(err([], MINIMAL.replace('rate: 317/s', 'users: { count: 3000000, think: exp(1s) }')), /traffic.users.count: got 3000000, expected a whole number from 1 to 1,000,000 \(each is an event pending at once/);
});

test('mix() weights that do not sum to 1 are an error, not rescaled', () => {
  assert.match(err(['traffic.phases.0.cpu=mix(0.5: exp(1ms), 0.3: exp(2ms))']), /the weights sum to 0.8 \(0.5 \+ 0.3\), not 1/);
});

test('versions: "banana" and a uWSGI version for gunicorn are errors; a newer release warns', () => {
  assert.match(err(['fleet.server.version=banana']), /fleet.server.version: got "banana" \(not a version number such as "2.0.15"\), expected a uWSGI 2.0 release/);
  assert.match(err(['fleet.server.kind=gunicorn', 'fleet.server.version="2.0.15"']), /got "2.0.15" \(capsim models gunicorn from 19.0 on; is it a uWSGI version\? \(fleet.server.kind: uwsgi\)\), expected a gunicorn release from 19.0 on, such as "20.1.0"/);
  assert.match(err(['fleet.server.version=20.1.0']), /capsim models the uWSGI 2.0 series; is it a gunicorn version\?/);
  assert.match(err(['fleet.server.version=2.1']), /capsim models the uWSGI 2.0 series/);
  for (const v of ['2.0', '2.0.15', '2.0.30']) parseModelText(MINIMAL, FILE, [`fleet.server.version=${v}`]);
  const { model, provenance } = parseModelWithProvenance(MINIMAL, FILE, ['fleet.server.kind=gunicorn', 'fleet.server.version=25.0.0']);
  assert.ok(modelWarnings(model, provenance).some((w) => /gunicorn 25.0.0 is newer than the releases capsim's gunicorn defaults and mechanisms were read from \(up to 23.0.0\)/.test(w)));
});

test('a Pareto tail without a mean (or a variance) warns, with its key path; a finite one does not', () => {
  const warns = (d: string) => {
    const { model, provenance } = parseModelWithProvenance(MINIMAL, FILE, [`traffic.phases.0.cpu=${d}`]);
    return modelWarnings(model, provenance).filter((w) => w.startsWith('traffic.'));
  };
  assert.match(warns('pareto(shape=0.5, scale=1ms)')[0]!, /^traffic.endpoints.0.phases.0.cpu pareto\(shape=0.5, scale=1ms\) has no finite mean/);
  assert.match(warns('mix(0.9: exp(1ms), 0.1: pareto(shape=1.5, scale=1ms))')[0]!, /has an infinite variance/);
  assert.deepEqual(warns('pareto(shape=2.5, scale=1ms)'), []);
});

test('a binary model file is named, never echoed; long values are cut in messages', () => {
  const bin = `\u007fELF\u0002\u0001\u0001${'\u0000'.repeat(4000)}`;
  const m = modelError(() => parseModelText(bin, 'a.out')).message;
  assert.match(m, /^a.out:1: not a text file: binary data \(a NUL byte at character 8\); expected a YAML model file$/);
  assert.ok(m.length < 120);
  const s = show('x'.repeat(5000));
  assert.match(s, /^"x{59}\.\.\." \(5,000 characters\)$/);
});
