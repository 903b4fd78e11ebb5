// capsim against measured runs of a real stack (docs/model.md, "The accept queue under
// overload"): uWSGI 2.0.21 gevent, 2 workers, listen 8, tcp_abort_on_overflow, behind nginx on
// Linux 6.18, 60 requests/s for 120 s. Five real runs gave 291-558 resets (502), 0-4 connect
// timeouts (504) and 1,800-2,260 retransmitted SYNs each (the earlier runs: ~1,000
// resets, 7-20 timeouts). Before SYN bursts were modelled capsim gave 54 resets here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runExperiment } from '../../src/experiment/run-experiment.js';
import { loadModelFile } from '../../src/scenario/load-model.js';

test('real stack, overload: resets in the hundreds per run, connect timeouts in single figures, SYN drops as counted', () => {
  const model = loadModelFile('models/checks/overload-uwsgi-gevent.yaml', ['simulation.replications=4']);
  const r = runExperiment(model).result;
  const resets = r.causes['502']!['backlog-overflow']!.mean!;
  const timeouts = r.status['504']!.mean!;
  const synDrops = r.mechanisms.synDrops!.mean!;
  assert.ok(resets >= 150 && resets <= 1100, `resets per run ${resets}`);
  assert.ok(timeouts <= 20, `504 per run ${timeouts}`);
  assert.ok(synDrops >= 1000 && synDrops <= 3500, `SYN drops per run ${synDrops}`);
  assert.ok(resets > 10 * timeouts, 'resets, not timeouts, dominate');
});
