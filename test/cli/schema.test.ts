// `capsim schema`: the JSON Schema of a model file, generated from the parser's zod schema. The
// checked-in copy must be exactly what the command prints; every bundled model must validate
// against it (they name it on their first line for editors); and it refuses what capsim refuses
// at the level it can see (keys, enums, the form of units) while accepting every form capsim does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { modelJsonSchemaText, SCHEMA_FILE } from '../../src/scenario/json-schema.js';
import { parseModelText } from '../../src/scenario/parse-model.js';
import { capsim, root } from '../experiment/cli-helper.js';

const checkedIn = readFileSync(path.join(root, SCHEMA_FILE), 'utf8');
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(checkedIn));

// Every model directory (the price tables are not models) and the benchmark's model; the
// observations files beside the incident's models are not models either.
const modelDirs = readdirSync(path.join(root, 'models')).filter((d) => d !== 'prices').map((d) => `models/${d}`);
const bundled = [...modelDirs, 'bench'].flatMap((d) =>
  readdirSync(path.join(root, d))
    .filter((f) => f.endsWith('.yaml') && !f.includes('observations'))
    .map((f) => `${d}/${f}`),
);

function errors(doc: unknown): string {
  return validate(doc) ? '' : JSON.stringify(validate.errors);
}

test(`${SCHEMA_FILE} is exactly what capsim schema prints (regenerate: capsim schema --out ${SCHEMA_FILE})`, () => {
  const r = capsim('schema');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, modelJsonSchemaText());
  assert.equal(checkedIn, r.stdout, `${SCHEMA_FILE} has drifted from the parser's schema: run capsim schema --out ${SCHEMA_FILE}`);
});

test('every bundled model names the schema on its first line and validates against it', () => {
  assert.ok(bundled.length >= 8, bundled.join(' '));
  for (const file of bundled) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const first = text.split('\n')[0]!;
    const ref = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
    assert.ok(ref, `${file}: first line ${first}`);
    assert.equal(path.resolve(root, path.dirname(file), ref), path.join(root, SCHEMA_FILE), file);
    assert.equal(errors(parseYaml(text)), '', file);
    parseModelText(text, file); // and capsim parses it (the comment changes nothing)
  }
});

const base = () => parseYaml(readFileSync(path.join(root, 'models/incident/01-uwsgi-2-workers.yaml'), 'utf8'));

/** The base model with one value replaced at a key path. */
function withValue(keyPath: string, value: unknown) {
  const doc = base();
  const keys = keyPath.split('.');
  let node = doc;
  for (const k of keys.slice(0, -1)) node = node[/^\d+$/.test(k) ? Number(k) : k] ??= {};
  node[keys[keys.length - 1]!] = value;
  return doc;
}

test('the schema accepts the forms capsim accepts', () => {
  const accepted: [string, unknown][] = [
    ['traffic.rate', '317/s'],
    ['traffic.rate', '1.5k / h'],
    ['simulation.duration', '90 min'],
    ['simulation.warmup', 0],
    ['simulation.replications', '5k'],
    ['fleet.memory', 'unlimited'],
    ['fleet.memory', 2147483648],
    ['fleet.vcpu', 0.5],
    ['fleet.server.backlog', 'unlimited'],
    // (a YAML number keeps its text in a file, `version: 2.0`; written from this object it would be 2)
    ['fleet.server.version', '2.0'],
    ['fleet.server.harakiri', '30s'],
    ['fleet.db.pool', 'none'],
    ['fleet.db.pool', { size: 5, maxOverflow: 10, timeout: '30s' }],
    ['balancer.kind', 'nginx'],
    ['balancer', { kind: 'nginx', nextUpstream: ['error', 'timeout'], keepAlive: true }],
  ];
  for (const d of [
    '250ms',
    'const(250ms)',
    'exp(4ms)',
    'uniform(1s, 3s)',
    'normal(mean=6ms, sd=2ms)',
    'lognormal(median=4ms, p99=40ms)',
    'gamma(shape=2, scale=3ms)',
    'weibull(shape=1.5, scale=10ms)',
    'pareto(shape=2.5, scale=5ms)',
    'empirical(0: 1ms, 0.5: 4ms, 0.9: 10ms, 1: 80ms)',
    'mix(0.9: exp(5ms), 0.1: lognormal(median=1s, p99=5s))',
  ]) {
    accepted.push(['traffic.endpoints.0.phases.0.cpu', d]);
  }
  for (const [key, value] of accepted) {
    const doc = withValue(key, value);
    parseModelText(toYaml(doc), 'x.yaml'); // capsim accepts it…
    assert.equal(errors(doc), '', `${key}: ${JSON.stringify(value)}`); // …and so does the schema
  }
});

test('the schema refuses unknown keys, unknown names and values without units, as capsim does', () => {
  const refused: [string, unknown][] = [
    ['fleet.server.workerz', 2],
    ['traffic.endpoints.0.phases.0.gpu', 'exp(1ms)'],
    ['balancer.kind', 'haproxy'],
    ['fleet.server.mode', 'eventlet'],
    ['simulation.duration', 'soon'],
    ['traffic.rate', '19000'],
    ['fleet.memory', '4 gigs'],
    ['fleet.server.workers', 'many'],
    ['fleet.server.connectionClose', 'yes'],
    ['traffic.endpoints.0.phases.0.cpu', 'poisson(3)'],
  ];
  for (const [key, value] of refused) {
    const doc = withValue(key, value);
    assert.throws(() => parseModelText(toYaml(doc), 'x.yaml'), Error, `capsim should refuse ${key}: ${JSON.stringify(value)}`);
    assert.notEqual(errors(doc), '', `the schema should refuse ${key}: ${JSON.stringify(value)}`);
  }
});

test('capsim schema --out FILE writes the same text and says so on stderr', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'capsim-schema-')), 'sub', 'm.schema.json');
  const r = capsim('schema', '--out', file);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `capsim: wrote ${file}\n`);
  assert.equal(readFileSync(file, 'utf8'), checkedIn);
});
