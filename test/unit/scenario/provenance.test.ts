import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelWithProvenance } from '../../../src/scenario/load-model.js';
import { parseModelText } from '../../../src/scenario/parse-model.js';
import { formatOrigin, modelLeaves, parseModelWithProvenance } from '../../../src/scenario/provenance.js';
import { FULL, MINIMAL, TEXTBOOK } from './fixtures.js';

test('parseModelWithProvenance resolves the same model as parseModelText', () => {
  for (const text of [TEXTBOOK, MINIMAL, FULL]) {
    assert.deepEqual(parseModelWithProvenance(text, 'x.yaml', ['fleet.containers=3']).model, parseModelText(text, 'x.yaml', ['fleet.containers=3']));
  }
});

test('every leaf has an origin: the file line, the --set, or the default with its source', () => {
  const { model, provenance } = parseModelWithProvenance(TEXTBOOK, 'models/textbook.yaml', ['fleet.server.workers=8']);
  const leaves = modelLeaves(model);
  assert.deepEqual([...provenance.keys()], leaves.map((l) => l.keyPath));
  assert.deepEqual(provenance.get('name'), { kind: 'file', line: 1 });
  assert.deepEqual(provenance.get('simulation.warmup'), { kind: 'file', line: 2 });
  assert.deepEqual(provenance.get('traffic.rate'), { kind: 'file', line: 4 });
  assert.deepEqual(provenance.get('traffic.endpoints.0.phases.0.wait'), { kind: 'file', line: 9 });
  assert.deepEqual(provenance.get('fleet.server.backlog'), { kind: 'file', line: 22 });
  assert.deepEqual(provenance.get('fleet.server.workers'), { kind: 'set', arg: 'fleet.server.workers=8' });
  assert.deepEqual(provenance.get('fleet.server.reloadMercy'), { kind: 'default', source: 'uWSGI 2.0 default worker-reload-mercy' });
  assert.deepEqual(provenance.get('balancer.surgeQueue'), { kind: 'default', source: 'Classic Load Balancer guide, troubleshooting: SurgeQueueLength maximum 1,024; SpilloverCount when full (503)' });
  assert.deepEqual(provenance.get('fleet.somaxconn'), { kind: 'default', source: 'Linux >= 5.4 net.core.somaxconn default (128 before): listen() caps its backlog at it' });
  assert.deepEqual(provenance.get('fleet.db.pool'), { kind: 'default', source: 'Django default: a new connection per request (CONN_MAX_AGE = 0)' });
  assert.equal(provenance.get('fleet.server.memory.base')?.kind, 'default');
  assert.equal(provenance.get('balancer.healthCheck.healthyThreshold')?.kind, 'default');
  for (const [path, origin] of provenance) {
    if (origin.kind === 'default') assert.ok(origin.source.length > 0 && origin.source !== 'capsim default', `${path} has a real source`);
  }
});

test('defaults follow the resolved kind, version and mode', () => {
  const { provenance } = parseModelWithProvenance(`${MINIMAL}fleet: { server: { kind: gunicorn, mode: gevent } }\n`, 'g.yaml', ['fleet.server.version=21.2.0']);
  assert.deepEqual(provenance.get('fleet.server.concurrency'), { kind: 'default', source: 'gunicorn 21.2.0 default worker_connections' });
  assert.deepEqual(provenance.get('fleet.server.keepAlive'), { kind: 'default', source: 'gunicorn 21.2.0 default keepalive' });
  assert.deepEqual(provenance.get('fleet.server.version'), { kind: 'set', arg: 'fleet.server.version=21.2.0' });
  assert.deepEqual(provenance.get('fleet.server.kind'), { kind: 'file', line: 5 });
  const alb = parseModelWithProvenance(`${MINIMAL}balancer: { kind: alb }\n`, 'a.yaml').provenance;
  assert.deepEqual(alb.get('balancer.routing'), { kind: 'default', source: 'ALB default routing: round robin' });
  assert.deepEqual(alb.get('balancer.healthCheck.healthyThreshold'), { kind: 'default', source: 'ALB default healthy threshold' });
});

test('traffic.phases is the endpoint "default"; its phases come from the file, its name and weight are defaults', () => {
  const { provenance } = parseModelWithProvenance(MINIMAL, 'm.yaml');
  assert.deepEqual(provenance.get('traffic.endpoints.0.phases.0.cpu'), { kind: 'file', line: 4 });
  assert.equal(provenance.get('traffic.endpoints.0.name')?.kind, 'default');
  assert.equal(provenance.get('traffic.endpoints.0.weight')?.kind, 'default');
  assert.equal(provenance.get('name')?.kind, 'default');
});

test('a --set that replaces a whole mapping: the keys it gives are its, the others are defaults', () => {
  const { provenance } = parseModelWithProvenance(TEXTBOOK, 'x.yaml', ['fleet.server={ kind: gunicorn, workers: 3 }']);
  assert.deepEqual(provenance.get('fleet.server.workers'), { kind: 'set', arg: 'fleet.server={ kind: gunicorn, workers: 3 }' });
  assert.equal(provenance.get('fleet.server.backlog')?.kind, 'default');
  assert.deepEqual(provenance.get('fleet.containers'), { kind: 'file', line: 13 });
});

test('a pool given partly: given sub-keys from the file, the rest SQLAlchemy defaults; null written in the file is the file', () => {
  const { provenance } = parseModelWithProvenance(`${MINIMAL}fleet:\n  db:\n    pool:\n      size: 2\n  server:\n    respawn: null\n`, 'p.yaml');
  assert.deepEqual(provenance.get('fleet.db.pool.size'), { kind: 'file', line: 8 });
  assert.deepEqual(provenance.get('fleet.db.pool.maxOverflow'), { kind: 'default', source: 'SQLAlchemy QueuePool default max_overflow' });
  assert.deepEqual(provenance.get('fleet.server.respawn'), { kind: 'file', line: 10 });
});

test('formatOrigin and loadModelWithProvenance', () => {
  assert.equal(formatOrigin({ kind: 'file', line: 3 }, 'm.yaml'), 'm.yaml:3');
  assert.equal(formatOrigin({ kind: 'set', arg: 'a=1' }, 'm.yaml'), '--set a=1');
  assert.equal(formatOrigin({ kind: 'default', source: 'why' }, 'm.yaml'), 'why');
  const dir = mkdtempSync(join(tmpdir(), 'capsim-prov-'));
  try {
    const file = join(dir, 'm.yaml');
    writeFileSync(file, MINIMAL);
    const { model, provenance } = loadModelWithProvenance(file, ['fleet.vcpu=2']);
    assert.equal(model.fleet.vcpu, 2);
    assert.deepEqual(provenance.get('fleet.vcpu'), { kind: 'set', arg: 'fleet.vcpu=2' });
    assert.deepEqual(provenance.get('traffic.rate'), { kind: 'file', line: 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
