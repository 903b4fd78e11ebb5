// `capsim run` as a user runs it: a whole process, its output and its exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');

export function capsim(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/capsim.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const quick = ['--duration', '10m', '--replications', '3'];

test('same model and seed: byte-identical output, table and JSON; another seed differs', () => {
  const a = capsim('run', 'models/textbook/mmc.yaml', ...quick, '--json');
  const b = capsim('run', 'models/textbook/mmc.yaml', ...quick, '--json');
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const c = capsim('run', 'models/textbook/mmc.yaml', ...quick, '--json', '--seed', '2');
  assert.notEqual(a.stdout, c.stdout);
  const t1 = capsim('run', 'models/textbook/mmc.yaml', ...quick);
  const t2 = capsim('run', 'models/textbook/mmc.yaml', ...quick);
  assert.equal(t1.stdout, t2.stdout);
});

test('JSON follows the contract: status, per5min, causes, latencyMs, queueWaitMs, workers, utilization', () => {
  const r = capsim('run', 'models/textbook/mmc.yaml', ...quick, '--json');
  const j = JSON.parse(r.stdout);
  for (const k of ['status', 'per5min', 'causes', 'latencyMs', 'queueWaitMs', 'workers', 'utilization', 'model', 'seed', 'replications', 'simulatedSeconds']) {
    assert.ok(k in j, `missing ${k}`);
  }
  for (const s of ['2xx', '500', '502', '503', '504']) {
    assert.equal(typeof j.status[s].mean, 'number');
    assert.equal(j.status[s].ci95.length, 2);
  }
  assert.equal(j.replications, 3);
  assert.equal(j.simulatedSeconds, 600);
  assert.ok('backlog-overflow' in j.causes['502']);
  // 502s per 5 minutes are the per-replication count scaled to 5 of its 10 minutes.
  assert.ok(Math.abs(j.per5min['502'].mean - j.status['502'].mean / 2) < 1e-9);
});

test('the table shows statuses, causes and intervals', () => {
  const r = capsim('run', 'models/textbook/mmc.yaml', ...quick);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^502\s+\S+ \[/m);
  assert.match(r.stdout, /502 backlog-overflow/);
  assert.match(r.stdout, /95% CIs/);
});

test('connectedAtSyn: in the JSON always; in the table only when a SYN had to be retransmitted', () => {
  const calm = capsim('run', 'models/textbook/mmc.yaml', ...quick);
  assert.doesNotMatch(calm.stdout, /new connections in/);
  const j = JSON.parse(capsim('run', 'models/textbook/mmc.yaml', ...quick, '--json').stdout);
  assert.equal(j.connectedAtSyn.length, 8);
  const over = capsim('run', 'models/checks/overload-uwsgi-gevent-alb.yaml', '--replications', '2', '--set', 'fleet.server.maxRequests=0');
  assert.equal(over.code, 0, over.stderr);
  assert.match(over.stdout, /^new connections in\s+per replication\nat the first SYN\s+\S+ \[\S+, \S+\]\nafter 1 retransmitted SYN \(\+a second or more\)\s+\S+ \[/m);
  assert.match(over.stdout, /^after 6 retransmitted SYNs \(\+6 s or more\)\s+\S+ \[/m);
});

test('the table opens with the one-line answer: 502 per 5 min and as a share, all 5xx, p99, the main cause, kills', () => {
  const r = capsim('run', 'models/textbook/mmc.yaml', ...quick);
  const first = r.stdout.split('\n')[0]!;
  assert.match(first, /^502: \S+ \[\S+, \S+\] per 5 min = [\d.]+% of requests; 5xx [\d.]+%; p99 \S+ \[\S+, \S+\] ms; mostly 502 [a-z-]+ \(\d+%\)$/);
  const killed = capsim('run', 'models/checks/overload-uwsgi-sync-harakiri.yaml', '--replications', '2');
  assert.match(killed.stdout.split('\n')[0]!, /; SIGKILLs per replication: harakiri \S+/);
});

test('bad input exits 2 with one line naming the problem, never a stack trace', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-'));
  const bad = path.join(dir, 'bad.yaml');
  writeFileSync(bad, 'traffic:\n  rate: 5 parsecs\n  phases: [ { wait: exp(1s) } ]\n');
  const cases: [string[], RegExp][] = [
    [['run', 'nope.yaml'], /nope\.yaml: cannot read file/],
    [["run", bad], /bad\.yaml:2: traffic\.rate: got "5 parsecs" .*expected a rate/],
    [['run', 'models/textbook/mmc.yaml', '--set', 'fleet.server.workers=-1'], /fleet\.server\.workers: got -1, expected a whole number >= 1/],
    [['run', 'models/textbook/mmc.yaml', '--duration', 'soon'], /simulation\.duration: got "soon" .*expected a duration/],
    [['run', 'models/textbook/mmc.yaml', '--bogus'], /unknown option '--bogus'/],
  ];
  for (const [args, re] of cases) {
    const r = capsim(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('the CLI starts from the V8 code cache the build made, and not from a cache older than the bundle', () => {
  // A copy of the built CLI, so that making its bundle newer than its cache disturbs no other test.
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-cache-'));
  for (const f of ['bin/capsim.js', 'bin/load-bundle.js', 'dist/capsim.cjs', 'dist/capsim.cjs.cache']) cpSync(path.join(root, f), path.join(dir, f));
  // The copies keep their order of modification: the cache after the bundle, as the build wrote them.
  const cached = statSync(path.join(root, 'dist/capsim.cjs.cache')).mtime;
  utimesSync(path.join(dir, 'dist/capsim.cjs'), cached, new Date(cached.getTime() - 1000));
  utimesSync(path.join(dir, 'dist/capsim.cjs.cache'), cached, cached);
  const version = () => spawnSync(process.execPath, [path.join(dir, 'bin/capsim.js'), '--version'], { encoding: 'utf8', env: { ...process.env, CAPSIM_CODE_CACHE: 'check' } });
  const fresh = version();
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.match(fresh.stderr, /code cache: accepted/);
  // V8 would take a cache of another bundle of the same length: a rebuilt bundle must not be run from it.
  utimesSync(path.join(dir, 'dist/capsim.cjs'), new Date(), new Date(cached.getTime() + 1000));
  const stale = version();
  assert.equal(stale.status, 0, stale.stderr);
  assert.match(stale.stderr, /code cache: missing or stale/);
  assert.match(stale.stdout, /^\d+\.\d+\.\d+/);
});
