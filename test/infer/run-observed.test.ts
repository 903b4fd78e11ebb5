// `capsim run MODEL --observed FILE`: the run beside what was observed at its configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim } from '../experiment/cli-helper.js';

// An M/M/1-like fleet with a known 504 rate would take long; a plain one fails nothing, so an
// observation of 0 502s per 5 minutes is consistent and one of 50 is not.
const MODEL = `name: observed
simulation: { duration: 5m, warmup: 0s, replications: 3, seed: 1 }
traffic: { rate: 20/s, phases: [ { wait: exp(10ms) } ] }
balancer: { kind: alb, healthCheck: { enabled: false } }
fleet: { containers: 1, vcpu: 1, server: { kind: gunicorn, workers: 4 } }
`;

const OBSERVATIONS = `observations:
  - name: no 502s at 4 workers
    metric: 502/5min
    value: 0
    sd: 0.5
    set: { fleet.server.workers: 4 }
  - name: fifty 502s at 4 workers
    metric: 502/5min
    value: 50
    sd: 5
    set: { fleet.server.workers: 4 }
  - name: no 502s at 8 workers
    metric: 502/5min
    value: 0
    sd: 0.5
    set: { fleet.server.workers: 8 }
`;

test('run --observed: each observation at the run\'s configuration beside capsim\'s figure, with the verdict', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-observed-'));
  try {
    const model = path.join(dir, 'm.yaml');
    const obs = path.join(dir, 'obs.yaml');
    writeFileSync(model, MODEL);
    writeFileSync(obs, OBSERVATIONS);
    const r = capsim('run', model, '--observed', obs, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    // Right under the answer line, only the two observations made at 4 workers.
    assert.match(lines[1]!, /^observed: no 502s at 4 workers \(.*obs\.yaml:2\): 0 ± 0\.5; capsim 0 \[.*\]: consistent with it/);
    assert.match(lines[2]!, /^observed: fifty 502s at 4 workers .*: 50 ± 5; capsim 0 .*not consistent/);
    assert.doesNotMatch(r.stdout, /8 workers/);
    const j = JSON.parse(capsim('run', model, '--observed', obs, '--json', '--quiet').stdout) as { observed: { name: string; consistent: boolean }[] };
    assert.deepEqual(
      j.observed.map((o) => [o.name, o.consistent]),
      [
        ['no 502s at 4 workers', true],
        ['fifty 502s at 4 workers', false],
      ],
    );
    // At 2 workers none of them matches: said so.
    const none = capsim('run', model, '--observed', obs, '--set', 'fleet.server.workers=2', '--quiet');
    assert.match(none.stdout.split('\n')[1]!, /^observed: none of the 3 observations in .* is at this run's configuration/);
    // A bad observations file is exit 2 before any work.
    writeFileSync(obs, 'observations:\n  - metric: 502/5min\n    valu: 3\n');
    const bad = capsim('run', model, '--observed', obs, '--quiet');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /valu/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
