import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runReplication } from '../../../src/experiment/replication.js';
import { parseModelText } from '../../../src/scenario/parse-model.js';

const root = path.resolve(import.meta.dirname, '../../../..');
const model = parseModelText(readFileSync(path.join(root, 'models/incident/01-uwsgi-2-workers.yaml'), 'utf8'), '01.yaml', [
  'simulation.duration=10m',
  'simulation.warmup=1m',
]);

test('a timeline changes no result, is sampled at its interval, and is bounded', () => {
  const plain = runReplication(model, 0);
  const traced = runReplication(model, 0, { timelineInterval: 1 });
  const { timeline, events: _e1, ...rest } = traced;
  const { events: _e2, ...plainRest } = plain;
  assert.deepEqual(rest, plainRest, 'same figures with and without the trace');
  assert.ok(timeline);
  assert.equal(timeline.t.length, 601, 'one sample a second over the 10 minute window, both ends');
  assert.equal(timeline.t[0], 60);
  assert.equal(timeline.containers.length, 4);
  const c0 = timeline.containers[0]!;
  for (let i = 0; i < timeline.t.length; i++) {
    assert.equal(c0.accepting[i]! + c0.draining[i]! + c0.down[i]!, 2, 'every worker is in one state');
  }
  // Every failure of the window is listed, each with its cause.
  const failed = plain.status.slice(1).reduce((a, b) => a + b, 0);
  assert.equal(timeline.failures.t.length + timeline.failuresOmitted, failed);
  assert.ok(timeline.failures.cause.every((c) => c !== 'ok'));
});
