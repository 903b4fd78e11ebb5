// capsim fit: on a log written by the M/M/5/K model, --vary fleet.server.workers picks 5 and
// rules out 4 and 6; a knob that does not touch the 5xx (vCPUs, when requests only wait) is
// reported as one the logs cannot tell apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim } from '../experiment/cli-helper.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capsim-fit-'));
const log = path.join(dir, 'mmc.log');
const busy = ['--set', 'traffic.rate=4.8/s'];

test('fit: the worker count that wrote the log is found, its neighbours ruled out', () => {
  const r = capsim('run', 'models/textbook/mmc.yaml', '--duration', '1h', '--replications', '1', '--seed', '9', ...busy, '--access-log', 'alb', log);
  assert.equal(r.code, 0, r.stderr);
  const f = capsim('fit', 'models/textbook/mmc.yaml', log, ...busy, '--vary', 'fleet.server.workers=4,5,6', '--replications', '5', '--json');
  assert.equal(f.code, 0, f.stderr);
  const { fit } = JSON.parse(f.stdout);
  assert.equal(fit.best, '5');
  assert.deepEqual(fit.set, ['5']);
  assert.equal(fit.fits, 'fits');
  assert.ok(fit.candidates[1].implausibility <= 3);
  assert.ok(fit.dispersion >= 1);
  const text = capsim('fit', 'models/textbook/mmc.yaml', log, ...busy, '--vary', 'fleet.server.workers=4,5,6', '--replications', '5');
  assert.match(text.stdout, /fleet\.server\.workers = 5 fits the logs' 5xx best, and the logs rule out every other value tried/);
});

test('fit: a knob that does not move the 5xx: the logs cannot tell its values apart', () => {
  const f = capsim('fit', 'models/textbook/mmc.yaml', log, ...busy, '--vary', 'fleet.vcpu=1,2', '--replications', '5', '--json');
  assert.equal(f.code, 0, f.stderr);
  const { fit } = JSON.parse(f.stdout);
  assert.equal(fit.set.length, 2);
  assert.match(fit.verdict, /cannot tell the values of fleet\.vcpu apart/);
});

test('fit: where no value tried fits, the verdict is "nothing fits", not a confident best (issue 18)', () => {
  const f = capsim('fit', 'models/textbook/mmc.yaml', log, ...busy, '--vary', 'fleet.server.workers=2,3', '--replications', '3', '--json');
  assert.equal(f.code, 0, f.stderr);
  const { fit } = JSON.parse(f.stdout);
  assert.equal(fit.fits, 'nothing fits');
  assert.deepEqual(fit.set, []);
  for (const c of fit.candidates) assert.ok(c.implausibility > 3, JSON.stringify(c));
  assert.match(fit.verdict, /^nothing fits: no value of fleet\.server\.workers tried predicts the logs' [\d.]+ 5xx per 5 minutes \(the closest, 3, predicts/);
});

test('fit: bad --vary is exit 2', () => {
  const a = capsim('fit', 'models/textbook/mmc.yaml', log, '--vary', 'fleet.server.workers=5');
  assert.equal(a.code, 2);
  assert.match(a.stderr, /at least two values/);
  const b = capsim('fit', 'models/textbook/mmc.yaml', log);
  assert.equal(b.code, 2);
});
