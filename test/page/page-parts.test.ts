// The page's pure parts: its inputs, the URL hash, the command and the model it gives, the answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseVary } from '../../src/experiment/grid.js';
import { loadPriceTable } from '../../src/experiment/price-file.js';
import { runExperiment } from '../../src/experiment/run-experiment.js';
import { parseModelText } from '../../src/scenario/parse-model.js';
import { runCommand, shellWord } from '../../src/page/command-line.js';
import { acceptsText, pageControls, setsFor } from '../../src/page/controls.js';
import { answerLine, pageFigures } from '../../src/page/figures.js';
import { modelYaml } from '../../src/page/model-yaml.js';
import { hashFor, readHash } from '../../src/page/url-state.js';
import { root } from '../experiment/cli-helper.js';

const FILE = 'models/incident/01-uwsgi-2-workers.yaml';
const text = readFileSync(path.join(root, FILE), 'utf8');
const model = parseModelText(text, FILE);
const prices = loadPriceTable();

test('inputs: the keys a planner changes, each named by its key path, starting at the model value', () => {
  const cs = pageControls(model, [parseVary('balancer.reuse=lifo,fifo,random'), parseVary('fleet.server.workers=2,4,8')], prices);
  const byPath = new Map(cs.map((c) => [c.path, c]));
  for (const p of [
    'fleet.containers',
    'fleet.vcpu',
    'fleet.server.maxRequests',
    'fleet.server.maxRequestsDelta',
    'fleet.server.reloadMercy',
    'fleet.db.driver',
    'fleet.server.backlog',
    'balancer.keepAlive',
    'fleet.server.keepAlive',
    'fleet.server.connectionClose',
    'traffic.rate',
    'balancer.reuse',
    'simulation.duration',
    'simulation.replications',
  ]) {
    assert.ok(byPath.has(p), p);
  }
  assert.equal(byPath.get('fleet.containers')!.initial, '4');
  assert.equal(byPath.get('fleet.server.reloadMercy')!.initial, '60s');
  assert.equal(byPath.get('traffic.rate')!.initial, '19000/min');
  assert.equal(byPath.get('fleet.db.driver')!.initial, 'mysqlclient');
  assert.equal(byPath.get('simulation.duration')!.initial, '1h');
  // A --vary key replaces its default input with a select over the listed values.
  const w = cs.filter((c) => c.path === 'fleet.server.workers');
  assert.equal(w.length, 1);
  assert.deepEqual(w[0]!.options!.map((o) => o.text), ['2', '4', '8']);
  assert.equal(w[0]!.group, 'varied');
  // Every initial value is one the input can hold, and the model takes every value a select offers.
  for (const c of cs) {
    assert.ok(acceptsText(c, c.initial), `${c.path}=${c.initial}`);
    for (const o of c.options ?? []) parseModelText(text, FILE, [`${c.path}=${o.text}`]);
  }
  // gunicorn: jitter instead of uWSGI's delta.
  const g = pageControls(parseModelText(readFileSync(path.join(root, 'models/incident/05-gunicorn.yaml'), 'utf8'), 'x.yaml'));
  assert.ok(g.some((c) => c.path === 'fleet.server.maxRequestsJitter') && !g.some((c) => c.path === 'fleet.server.maxRequestsDelta'));
});

test('a profile gets a scale input; an input left at the model value adds no --set', () => {
  const p = parseModelText('traffic: { profile: { points: [ { at: 0h, rate: 10/s }, { at: 12h, rate: 30/s } ] }, phases: [ { cpu: exp(5ms) } ] }', 'p.yaml');
  const cs = pageControls(p);
  const scale = cs.find((c) => c.path === 'traffic.profile.scale')!;
  assert.equal(scale.initial, '1');
  assert.ok(!cs.some((c) => c.path === 'traffic.rate'));
  const values = new Map(cs.map((c) => [c.path, c.initial]));
  assert.deepEqual(setsFor(cs, values), []);
  values.set('traffic.profile.scale', '1.3');
  assert.deepEqual(setsFor(cs, values), ['traffic.profile.scale=1.3']);
  assert.equal(parseModelText('traffic: { profile: { points: [ { at: 0h, rate: 10/s } ] }, phases: [ { cpu: exp(5ms) } ] }', 'p.yaml', setsFor(cs, values)).traffic.profile!.scale, 1.3);
});

test('URL hash: only what changed, readable, and it reads back; what the page cannot take is named', () => {
  const cs = pageControls(model, [], prices);
  const values = new Map(cs.map((c) => [c.path, c.initial]));
  assert.equal(hashFor(cs, values), '');
  values.set('fleet.server.workers', '8');
  values.set('traffic.rate', '25000/min');
  values.set('simulation.duration', '2m');
  const h = hashFor(cs, values);
  assert.equal(h, '#fleet.server.workers=8&traffic.rate=25000/min&simulation.duration=2m');
  const back = readHash(h, cs);
  assert.deepEqual([...back.values], [['fleet.server.workers', '8'], ['traffic.rate', '25000/min'], ['simulation.duration', '2m']]);
  assert.deepEqual(back.ignored, []);
  const bad = readHash('#fleet.server.workerz=8&fleet.containers=999&fleet.db.driver=oracle&fleet.containers=3', cs);
  assert.deepEqual([...bad.values], [['fleet.containers', '3']]);
  assert.equal(bad.ignored.length, 3);
  assert.match(bad.ignored[0]!, /workerz=?.*no such input/);
});

test('copy as command: simulation settings as options, the rest as --set, quoted for sh', () => {
  assert.equal(
    runCommand(FILE, ['fleet.server.workers=8', 'simulation.duration=2m', 'simulation.replications=3']),
    `capsim run ${FILE} --set fleet.server.workers=8 --duration 2m --replications 3`,
  );
  assert.equal(shellWord("it's"), `'it'\\''s'`);
  assert.equal(shellWord('a b'), `'a b'`);
});

test('download model: the file with the changes written in, comments kept, and it parses to the same model', () => {
  const sets = ['fleet.server.workers=8', 'fleet.server.connectionClose=true', 'simulation.duration=2m', 'fleet.server.version=2.0.29', 'traffic.rate=25000/min'];
  const y = modelYaml(text, FILE, sets);
  assert.match(y, /^# models\/incident\/01-uwsgi-2-workers.yaml as changed in capsim page: fleet.server.workers=8/);
  assert.match(y, /# view code and templates/);
  assert.deepEqual(parseModelText(y, FILE), parseModelText(text, FILE, sets));
  assert.equal(modelYaml(text, FILE, []).includes('as changed'), false);
});

test('figures and the answer: every metric named, the dominant cause first, "none" with upper bounds', () => {
  const quick = ['simulation.duration=2m', 'simulation.warmup=30s', 'simulation.replications=2'];
  const m = parseModelText(text, FILE, quick);
  const { result, replications } = runExperiment(m);
  const figs = pageFigures(result, replications, null);
  for (const k of ['502/5min', '503/5min', '504/5min', '502-rate', '5xx-rate', 'p50', 'p95', 'p99', 'sigkills/h', 'sigkills/h.oom', 'mercy-exits/h']) {
    assert.ok(figs.some((f) => f.metric === k), k);
  }
  assert.match(answerLine(result, 2, 2), /^Dominant cause: 502 close-race, [\d,.]+ \[[\d,.]+, [\d,.]+\] per 5 min, 100% of the/);
  assert.match(answerLine(result, 1, 2), /1 of 2 replications so far/);
  const fixed = runExperiment(parseModelText(text, FILE, [...quick, 'fleet.server.connectionClose=true'])).result;
  assert.match(answerLine(fixed, 2, 2), /^No failed requests in 2 replications \(95% upper bounds per 5 min: 502 ≤ [\d.]+/);
});
