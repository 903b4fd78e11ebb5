// `capsim run --access-log FORMAT FILE`: the log holds replication 0's measured requests, one
// line each, with the statuses the run counted, and reads back through capsim's own readers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLogs } from '../../src/logs/read-logs.js';
import { capsim } from '../experiment/cli-helper.js';

const dir = mkdtempSync(path.join(tmpdir(), 'capsim-access-log-'));
// The textbook M/M/5/K model with a short window: busy enough to refuse some requests (502).
const args = ['run', 'models/textbook/mmc.yaml', '--duration', '20m', '--replications', '1', '--set', 'traffic.rate=4.8/s', '--json'];

for (const format of ['alb', 'elb', 'nginx'] as const) {
  test(`--access-log ${format}: every measured request once, statuses as the run counted them`, async () => {
    const file = path.join(dir, `mmc.${format}.log`);
    const r = capsim(...args, '--access-log', format, file);
    assert.equal(r.code, 0, r.stderr);
    const run = JSON.parse(r.stdout);
    const byStatus = new Map<number, number>();
    const targets = new Set<string>();
    let answered = 0;
    const s = await readLogs([file], { format: 'auto' }, (rec) => {
      byStatus.set(rec.status, (byStatus.get(rec.status) ?? 0) + 1);
      if (rec.target) targets.add(rec.target);
      if (rec.targetTime === rec.targetTime) answered++;
    });
    assert.equal(s.format, format);
    assert.equal(s.malformed, 0);
    for (const [key, code] of [['2xx', 200], ['502', 502], ['504', 504], ['503', 503], ['500', 500]] as const) {
      assert.equal(byStatus.get(code) ?? 0, run.status[key].mean, `${format} ${key}`);
    }
    assert.ok(run.status['502'].mean > 0, 'the scenario refuses some requests');
    assert.deepEqual([...targets], ['10.1.0.1:8000']);
    // refused requests have no target time in the AWS formats
    if (format !== 'nginx') assert.equal(answered, run.status['2xx'].mean);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });
}

test('--access-log: a bad format or a missing file is exit 2 with one line', () => {
  const a = capsim(...args, '--access-log', 'apache', path.join(dir, 'x.log'));
  assert.equal(a.code, 2);
  assert.match(a.stderr, /--access-log apache .*: expected FORMAT FILE, FORMAT one of alb, elb, nginx/);
  const b = capsim(...args, '--access-log', 'alb');
  assert.equal(b.code, 2);
});
