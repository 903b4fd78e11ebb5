import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError } from '../../../src/scenario/errors.js';
import { applyOverrides, parseSetArg } from '../../../src/scenario/overrides.js';
import { parseModelText } from '../../../src/scenario/parse-model.js';
import { TEXTBOOK } from './fixtures.js';

test('values are read as YAML scalars and flow values', () => {
  assert.equal(parseSetArg('a=8').value, 8);
  assert.equal(parseSetArg('a=unlimited').value, 'unlimited');
  assert.deepEqual(parseSetArg('a=[1,2]').value, [1, 2]);
  assert.equal(parseSetArg('a="2.0"').value, '2.0');
  assert.equal(parseSetArg('a=2.0').value, 2);
  assert.equal(parseSetArg('a=true').value, true);
  assert.deepEqual(parseSetArg('a={ kind: alb }').value, { kind: 'alb' });
  assert.equal(parseSetArg('a=lognormal(mean=6ms, sd=5ms)').value, 'lognormal(mean=6ms, sd=5ms)');
  assert.equal(parseSetArg('a=mix(0.9: exp(5ms), 0.1: const(1s))').value, 'mix(0.9: exp(5ms), 0.1: const(1s))');
  assert.equal(parseSetArg('a=x=y').value, 'x=y');
  assert.deepEqual(parseSetArg('a.b.0.c=1').path, ['a', 'b', 0, 'c']);
});

test('overrides set nested keys, index lists, create missing mappings and do not mutate', () => {
  const raw = { fleet: { server: { workers: 2 } }, traffic: { endpoints: [{ name: 'a' }, { name: 'b' }] } };
  const before = structuredClone(raw);
  const out = applyOverrides(raw, [
    'fleet.server.workers=8',
    'traffic.endpoints.1.name=c',
    'balancer.kind=alb',
    'fleet.server.backlog=unlimited',
    'traffic.endpoints.2.name=d',
  ]);
  assert.deepEqual(raw, before);
  assert.deepEqual(out, {
    fleet: { server: { workers: 8, backlog: 'unlimited' } },
    traffic: { endpoints: [{ name: 'a' }, { name: 'c' }, { name: 'd' }] },
    balancer: { kind: 'alb' },
  });
  assert.deepEqual(applyOverrides(undefined, ['x.0.y=1']), { x: [{ y: 1 }] });
  assert.deepEqual(applyOverrides({ a: 1 }, ['a=2', 'a=3']), { a: 3 });
});

test('malformed --set arguments are ModelErrors that name the argument', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{}, 'nothing', /^f\.yaml: --set nothing: no "="/],
    [{}, '=1', /^f\.yaml: --set =1: empty key path/],
    [{ a: 1 }, 'a.b=2', /^f\.yaml: --set a\.b=2: a\.b: a is 1, not a mapping or a list/],
    [{ a: [1] }, 'a.x=2', /^f\.yaml: --set a\.x=2: a\.x: a is a list, so "x" must be an index/],
    [{ a: [1] }, 'a.5=2', /^f\.yaml: --set a\.5=2: a\.5: index 5 is past the end of a \(1 items\)/],
  ];
  for (const [raw, arg, pattern] of cases) {
    assert.throws(
      () => applyOverrides(raw, [arg], 'f.yaml'),
      (e: unknown) => e instanceof ModelError && pattern.test(e.message) && e.exitCode === 2,
      arg,
    );
  }
});

test('overrides reach the resolved model', () => {
  const m = parseModelText(TEXTBOOK, 'x.yaml', [
    'fleet.server.workers=8',
    'fleet.server.backlog=100',
    'traffic.endpoints.0.phases.0.wait=lognormal(median=4ms, p99=40ms)',
    'simulation.duration=30m',
    'name=changed',
  ]);
  assert.equal(m.fleet.server.workers, 8);
  assert.equal(m.fleet.server.backlog, 100);
  assert.equal(m.traffic.endpoints[0]!.phases[0]!.dist.kind, 'lognormal');
  assert.equal(m.simulation.duration, 1800);
  assert.equal(m.name, 'changed');
});
