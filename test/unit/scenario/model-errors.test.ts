import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError } from '../../../src/scenario/errors.js';
import { parseModelText } from '../../../src/scenario/parse-model.js';
import { MINIMAL, TEXTBOOK, modelError } from './fixtures.js';

const FILE = 'models/x.yaml';


/** The textbook model with one line replaced. */
const edit = (from: string, to: string): string => {
  assert.ok(TEXTBOOK.includes(from), `fixture has ${from}`);
  return TEXTBOOK.replace(from, to);
};

test('a negative count names file, line, key path, value and expected form', () => {
  const e = modelError(() => parseModelText(edit('workers: 5', 'workers: -2'), FILE));
  assert.equal(e.message, 'models/x.yaml:19: fleet.server.workers: got -2, expected a whole number >= 1');
  assert.equal(e.file, FILE);
  assert.equal(e.line, 19);
  assert.equal(e.keyPath, 'fleet.server.workers');
  assert.equal(e.value, -2);
  assert.equal(e.expected, 'a whole number >= 1');
});

test('a YAML syntax error gives the line and a short reason', () => {
  const e = modelError(() => parseModelText('name: x\ntraffic:\n  rate: [4/s\nfleet: {}\n', FILE));
  assert.match(e.message, /^models\/x\.yaml:\d+: YAML syntax error: [A-Z][^\n]*$/);
  assert.ok(e.line !== undefined && e.line >= 3, `line ${e.line}`);
  const dup = modelError(() => parseModelText(`${MINIMAL}traffic: {}\n`, FILE));
  assert.match(dup.message, /^models\/x\.yaml:5: YAML syntax error: Map keys must be unique/);
  const tab = modelError(() => parseModelText('traffic:\n\trate: 4/s\n', FILE));
  assert.match(tab.message, /^models\/x\.yaml:2: YAML syntax error: /);
});

test('an unknown key is named, with a suggestion and the known keys', () => {
  const e = modelError(() => parseModelText(edit('maxRequests: 0', 'maxRequest: 0'), FILE));
  assert.equal(
    e.message,
    'models/x.yaml:23: fleet.server.maxRequest: unknown key "maxRequest" (did you mean "maxRequests"? known keys: kind, version, workers, mode, concurrency, backlog, maxRequests, maxRequestsDelta, maxRequestsJitter, minWorkerLifetime, reloadMercy, harakiri, keepAlive, socket, connectionClose, closeLag, deferAccept, respawn, masterCycle, fork, appImport, exitDelay, preload, startFresh, forkbombDelay, reloadOnRss, evilReloadOnRss, memory, acceptOrder)',
  );
  assert.equal(e.keyPath, 'fleet.server.maxRequest');
  assert.match(e.expected, /^one of the known keys: kind, version, workers/);
  // A typo at the top level is reported rather than the key it makes "missing".
  const top = modelError(() => parseModelText(MINIMAL.replace('traffic:', 'trafic:'), FILE));
  assert.match(top.message, /^models\/x\.yaml:1: trafic: unknown key "trafic" \(did you mean "traffic"\? known keys: name, simulation, traffic, balancer, fleet\)$/);
  // Nothing close: no suggestion, just the list.
  const far = modelError(() => parseModelText(`${MINIMAL}fleet: { colour: blue }\n`, FILE));
  assert.equal(far.message, 'models/x.yaml:5: fleet.colour: unknown key "colour" (known keys: containers, vcpu, memory, somaxconn, overflow, tcpAbortOnOverflow, synackRetries, server, db)');
  // A phase kind that does not exist.
  const io = modelError(() => parseModelText(MINIMAL.replace('- cpu: exp(5ms)', '- io: exp(5ms)'), FILE));
  assert.equal(io.message, 'models/x.yaml:4: traffic.phases.0.io: unknown key "io" (did you mean "db"? known keys: cpu, wait, db)');
});

test('a wrong type names the value as given', () => {
  const e = modelError(() => parseModelText(edit('vcpu: 1', 'vcpu: [1, 2]'), FILE));
  assert.equal(e.message, 'models/x.yaml:14: fleet.vcpu: got [1,2], expected a number > 0');
  const s = modelError(() => parseModelText(edit('workers: 5', 'workers: five'), FILE));
  assert.equal(s.message, 'models/x.yaml:19: fleet.server.workers: got "five", expected a whole number >= 1');
  const m = modelError(() => parseModelText(edit('mode: sync ', 'mode: async'), FILE));
  assert.equal(m.message, 'models/x.yaml:20: fleet.server.mode: got "async", expected "sync", "gevent" or "threads"');
  const o = modelError(() => parseModelText(edit('overflow: refuse', 'overflow: drop'), FILE));
  assert.equal(o.message, 'models/x.yaml:15: fleet.overflow: got "drop", expected "linux" or "refuse"');
  const f = modelError(() => parseModelText(`${MINIMAL}fleet: 4\n`, FILE));
  assert.equal(f.message, 'models/x.yaml:5: fleet: got 4, expected a mapping with keys containers, vcpu, memory, somaxconn, overflow, tcpAbortOnOverflow, synackRetries, server, db');
  const ph = modelError(() => parseModelText(MINIMAL.replace('- cpu: exp(5ms)', '- exp(5ms)'), FILE));
  assert.match(ph.message, /^models\/x\.yaml:4: traffic\.phases\.0: got "exp\(5ms\)", expected a phase with exactly one key, cpu, wait or db/);
  const both = modelError(() => parseModelText(MINIMAL.replace('- cpu: exp(5ms)', '- { cpu: exp(5ms), wait: 1s }'), FILE));
  assert.match(both.message, /traffic\.phases\.0: got \{"cpu":"exp\(5ms\)","wait":"1s"\} \(both cpu and wait given\), expected a phase with exactly one key/);
  const root = modelError(() => parseModelText('- 1\n- 2\n', FILE));
  assert.equal(root.message, 'models/x.yaml: the model must be a YAML mapping with keys name, simulation, traffic, balancer, fleet, not [1,2]');
});

test('missing required keys and empty lists', () => {
  const r = modelError(() => parseModelText('traffic:\n  phases: [ { cpu: 1ms } ]\n', FILE));
  assert.equal(
    r.message,
    'models/x.yaml:1: traffic.rate: missing, expected exactly one of traffic.rate (a rate such as 19k/min, 317/s or 100/h), traffic.profile or traffic.users',
  );
  const t = modelError(() => parseModelText('name: x\n', FILE));
  assert.equal(t.message, 'models/x.yaml: traffic: missing, expected a mapping with keys rate, profile, users, bursts, endpoints, phases');
  const ep = modelError(() => parseModelText('traffic:\n  rate: 1/s\n', FILE));
  assert.match(ep.message, /^models\/x\.yaml:1: traffic\.endpoints: missing, expected a non-empty list of endpoints .* \(or traffic\.phases for a single endpoint\)$/);
  const empty = modelError(() => parseModelText('traffic:\n  rate: 1/s\n  endpoints: []\n', FILE));
  assert.match(empty.message, /^models\/x\.yaml:3: traffic\.endpoints: got \[\], expected a non-empty list of endpoints/);
  const noPhases = modelError(() => parseModelText('traffic:\n  rate: 1/s\n  endpoints:\n    - name: api\n', FILE));
  assert.match(noPhases.message, /^models\/x\.yaml:4: traffic\.endpoints\.0\.phases: missing, expected a non-empty list of phases/);
  const twice = modelError(() =>
    parseModelText('traffic:\n  rate: 1/s\n  endpoints:\n    - { name: a, phases: [ cpu: 1ms ] }\n    - { name: a, phases: [ cpu: 1ms ] }\n', FILE),
  );
  assert.equal(twice.message, 'models/x.yaml:5: traffic.endpoints.1.name: got "a" (used by an earlier endpoint), expected a name no other endpoint has');
  const dual = modelError(() => parseModelText('traffic:\n  rate: 1/s\n  endpoints: [ { name: a, phases: [ cpu: 1ms ] } ]\n  phases: [ cpu: 1ms ]\n', FILE));
  assert.match(dual.message, /^models\/x\.yaml:4: traffic\.phases: got \[\{"cpu":"1ms"\}\] \(traffic\.endpoints is given too\), expected either traffic\.endpoints or traffic\.phases/);
});

test('an unknown unit names the unit and the expected form', () => {
  const e = modelError(() => parseModelText(edit('rate: 4/s', 'rate: 4/fortnight'), FILE));
  assert.equal(
    e.message,
    'models/x.yaml:4: traffic.rate: got "4/fortnight" (unknown time unit "fortnight" (known: /s, /min, /h, /d)), expected a rate such as 19k/min, 317/s or 100/h',
  );
  const d = modelError(() => parseModelText(edit('duration: 2h', 'duration: 2 weeks'), FILE));
  assert.match(d.message, /^models\/x\.yaml:2: simulation\.duration: got "2 weeks" \(unknown time unit "weeks" .*\), expected a duration > 0 such as 250ms/);
  const bare = modelError(() => parseModelText(edit('idleTimeout: 60s', 'idleTimeout: 60'), FILE));
  assert.equal(bare.message, 'models/x.yaml:11: balancer.idleTimeout: got 60 (60 has no unit), expected a duration > 0 such as 250ms, 30s, 5m or 1h');
});

test('a malformed distribution names the key path, the string and the form', () => {
  const cases: Array<[string, RegExp]> = [
    ['exp(4 parsecs)', /^models\/x\.yaml:9: traffic\.endpoints\.0\.phases\.0\.wait: got "exp\(4 parsecs\)" \(exp\(\): mean: unknown time unit "parsecs" .*\), expected a duration such as 250ms/],
    ['lognormal(mean=6ms)', /phases\.0\.wait: got "lognormal\(mean=6ms\)" \(lognormal\(\): missing parameter "sd"\), expected lognormal\(mean=M, sd=S\) or lognormal\(median=M, p99=P\)/],
    ['foo(1s)', /got "foo\(1s\)" \(unknown distribution "foo"\), expected one of const, exp, uniform/],
    ['exp(1s', /got "exp\(1s" \(unbalanced parentheses: "\(" at position 4 is never closed\), expected a distribution such as/],
    ['empirical(0.1: 1ms, 1: 2ms)', /got "empirical\(0\.1: 1ms, 1: 2ms\)" \(empirical\(\): the first probability must be 0, not 0\.1\), expected empirical/],
  ];
  for (const [dist, pattern] of cases) {
    const e = modelError(() => parseModelText(edit('wait: exp(1s)', `wait: ${dist}`), FILE));
    assert.match(e.message, pattern);
    assert.equal(e.keyPath, 'traffic.endpoints.0.phases.0.wait');
    assert.equal(e.value, dist);
  }
  const respawn = modelError(() => parseModelText(edit('respawn: const(1s)', 'respawn: exp(-1s)'), FILE));
  assert.match(respawn.message, /^models\/x\.yaml:24: fleet\.server\.respawn: got "exp\(-1s\)" \(exp\(\): mean must not be negative/);
});

test('bad --set arguments name the --set', () => {
  const noEq = modelError(() => parseModelText(TEXTBOOK, FILE, ['fleet.server.workers']));
  assert.equal(
    noEq.message,
    'models/x.yaml: --set fleet.server.workers: no "=" between the key path and the value; expected --set key.path=value, such as --set fleet.server.workers=8',
  );
  const empty = modelError(() => parseModelText(TEXTBOOK, FILE, ['=3']));
  assert.match(empty.message, /^models\/x\.yaml: --set =3: empty key path; expected --set key\.path=value/);
  const hole = modelError(() => parseModelText(TEXTBOOK, FILE, ['fleet..workers=3']));
  assert.match(hole.message, /--set fleet\.\.workers=3: empty segment in key path "fleet\.\.workers"/);
  const scalar = modelError(() => parseModelText(TEXTBOOK, FILE, ['fleet.containers.count=3']));
  assert.equal(
    scalar.message,
    'models/x.yaml: --set fleet.containers.count=3: fleet.containers.count: fleet.containers is 1, not a mapping or a list, so nothing can be set inside it; expected a key path that ends at a value',
  );
  const yaml = modelError(() => parseModelText(TEXTBOOK, FILE, ['fleet.containers=[1,']));
  assert.match(yaml.message, /^models\/x\.yaml: --set fleet\.containers=\[1,: the value "\[1," is not a YAML value/);
  // A well-formed --set with a bad value: reported against the --set, not a file line.
  const value = modelError(() => parseModelText(TEXTBOOK, FILE, ['fleet.server.workers=-2']));
  assert.equal(value.message, 'models/x.yaml: --set fleet.server.workers=-2: fleet.server.workers: got -2, expected a whole number >= 1');
  assert.equal(value.line, undefined);
  assert.equal(value.setArg, 'fleet.server.workers=-2');
  const typo = modelError(() => parseModelText(TEXTBOOK, FILE, ['fleet.server.worker=8']));
  assert.match(typo.message, /^models\/x\.yaml: --set fleet\.server\.worker=8: fleet\.server\.worker: unknown key "worker" \(did you mean "workers"\?/);
});

test('errors in the file are still reported with their line when --set touches something else', () => {
  const e = modelError(() => parseModelText(edit('workers: 5', 'workers: 0'), FILE, ['fleet.containers=2']));
  assert.equal(e.message, 'models/x.yaml:19: fleet.server.workers: got 0, expected a whole number >= 1');
});
