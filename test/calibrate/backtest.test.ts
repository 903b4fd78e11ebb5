// capsim backtest: the model that wrote a log predicts that log's 502s per 5 minutes (no window
// outside its range); a model with 6 workers instead of 5 does not (most windows outside, by
// much). A replayed model is backtested on its own log. --out writes the JSON and the chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capsim } from '../experiment/cli-helper.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capsim-backtest-'));
const log = path.join(dir, 'mmc.log');
const busy = ['--set', 'traffic.rate=4.8/s'];

test('backtest: the right model covers its log; a wrong one is outside in most windows, and says by how much', () => {
  const r = capsim('run', 'models/textbook/mmc.yaml', '--duration', '1h', '--replications', '1', '--seed', '9', ...busy, '--access-log', 'alb', log);
  assert.equal(r.code, 0, r.stderr);
  const right = capsim('backtest', 'models/textbook/mmc.yaml', log, ...busy, '--json', '--out', path.join(dir, 'bt'));
  assert.equal(right.code, 0, right.stderr);
  const a = JSON.parse(right.stdout);
  assert.equal(a.judged, 10);
  assert.ok(a.outside <= 1, `the right model: ${a.outside} windows outside`);
  assert.ok(a.windows.some((w: { log: Record<string, number> }) => w.log['502']! > 0));
  for (const l of a.latency) assert.equal(l.outside, false, `p${l.p}`);
  assert.ok(existsSync(path.join(dir, 'bt', 'backtest.json')) && existsSync(path.join(dir, 'bt', 'charts', 'backtest-5xx.svg')) && existsSync(path.join(dir, 'bt', 'charts', 'backtest-5xx.png')));
  const wrong = capsim('backtest', 'models/textbook/mmc.yaml', log, ...busy, '--set', 'fleet.server.workers=6', '--json');
  const b = JSON.parse(wrong.stdout);
  assert.ok(b.outside >= 7, `the wrong model: ${b.outside} windows outside`);
  const w = b.windows.find((x: { outside: unknown[] }) => x.outside.length > 0);
  assert.equal(w.outside[0].status, '502');
  assert.ok(w.outside[0].by > 0, 'the log is above the range');
  const text = capsim('backtest', 'models/textbook/mmc.yaml', log, ...busy, '--set', 'fleet.server.workers=6');
  assert.match(text.stdout, /\d+ of 10 whole 5-minute windows fall outside the model's range: .*502 \d+ \(\d+ above the range\)/);
});

test('backtest: a replayed model on its own log', () => {
  const model = path.join(dir, 'replay.yaml');
  writeFileSync(
    model,
    `name: replay-mmc
simulation: { replications: 5, seed: 2 }
traffic:
  replay: mmc.log
  endpoints: [ { name: "/api", phases: [ { wait: exp(1s) } ] } ]
balancer: { kind: alb, idleTimeout: 60s }
fleet: { containers: 1, vcpu: 1, overflow: refuse, server: { kind: uwsgi, workers: 5, mode: sync, backlog: 20 } }
`,
  );
  const r = capsim('backtest', model, log, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.replayed, true);
  assert.equal(j.replications, 5);
  assert.ok(j.outside <= 2, `${j.outside} windows outside`);
  const bad = capsim('backtest', model, path.join(dir, 'none.log'));
  assert.equal(bad.code, 2);
});
