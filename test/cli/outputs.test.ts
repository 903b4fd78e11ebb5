// Issue 11, items 3 and 4 at the command line: bad input is exit 2 with one line before any work
// (the work estimate included), and the outputs of one run appear together or not at all: an
// interrupted rerun never leaves the previous run's report looking complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OutputSet } from '../../src/experiment/output-set.js';
import { SMALL_MODEL } from '../experiment/fixtures.js';
import { capsim, root } from '../experiment/cli-helper.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'capsim-outputs-'));
const model = path.join(tmp, 'small.yaml');
writeFileSync(model, SMALL_MODEL);
const quick = ['--duration', '2m', '--warmup', '0s', '--replications', '2'];

/** One line on stderr, exit 2, nothing written. */
function refused(args: string[], pattern: RegExp): void {
  const r = capsim(...args);
  assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('capsim: warning'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, pattern);
  assert.ok(lines[0]!.length < 700, `one readable line: ${lines[0]!.length} characters`);
}

test('the bad inputs of issue 11 are exit 2 with one line, before any work', () => {
  const file = path.join(tmp, 'a-file');
  writeFileSync(file, 'x');
  refused(['run', model, ...quick, '--out', file], /^capsim: --out .*a-file: is a file; expected a directory/);
  refused(['sweep', model, '--vary', 'fleet.containers=1,2', ...quick, '--out', path.join(file, 'sub')], /a-file is a file; expected a directory/);
  refused(['run', model, '--duration', '1e309s'], /simulation.duration: got "1e309s" \("1e309s" is not a finite number\)/);
  refused(['run', model, '--set', 'traffic.rate=1e12/s'], /traffic.rate: got "1e12\/s" .*above the largest capsim accepts \(10M\/s\)/);
  refused(['run', model, '--replications', '1e9'], /cannot fit in memory: 1,000,000,000 replication results × 40 KiB = 37 TiB/);
  refused(['run', model, '--jobs', '100000'], /--jobs 100000: expected a whole number from 1 to 256/);
  refused(['sweep', model, '--vary', 'fleet.server.workers=1..1000', '--vary', 'fleet.containers=1..20'], /the grid has 20,000 points \(1000 × 20\); expected at most 10,000/);
  const bin = path.join(tmp, 'model.bin');
  writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xff, 0xfe, ...new Array(5000).fill(0)]));
  refused(['run', bin], /model.bin: not a text file: bytes that are not UTF-8/);
  const empty = path.join(tmp, 'empty.yaml');
  writeFileSync(empty, '');
  refused(['notebook', empty, '--out', path.join(tmp, 'nb')], /empty.yaml: not a notebook; expected a Markdown file \(.md\)/);
  const prose = path.join(tmp, 'prose.md');
  writeFileSync(prose, '# Only prose\n');
  refused(['notebook', prose, '--out', path.join(tmp, 'nb')], /prose.md: no ```capsim block/);
  assert.equal(existsSync(path.join(tmp, 'nb')), false);
});

test('the work estimate asks for --force past 1e10 simulated requests, and says what it accepted', () => {
  // 317/s × 1 day × 400 replications ≈ 1.1e10 requests.
  const big = ['run', model, '--set', 'traffic.rate=317/s', '--duration', '1d', '--warmup', '0s', '--replications', '400'];
  refused(big, /would simulate 1.1e10 requests \(400 replications × 2.7e7 requests; about \d+ (h|min) on \d+ cores? at ~1M simulated requests per second per core\): above the 1e10 a command runs without --force/);
  refused(['size', model, '--set', 'traffic.rate=317/s', '--vary', 'fleet.containers=1..4', '--slo', '502/5min<=1', '--duration', '1d', '--warmup', '0s', '--replications', '100', '--no-fixes'], /would simulate 1.1e10 requests \(4 points × 100 replications × 2.7e7 requests;.*close points may be rerun up to 400 replications/);
});

test('OutputSet: an earlier run\'s outputs go at the start; staged outputs appear only at commit, the report last', () => {
  const dir = path.join(tmp, 'set');
  mkdirSync(path.join(dir, 'charts'), { recursive: true });
  for (const f of ['report.html', 'sweep.csv', 'sweep.json', 'charts/x.svg', 'sweep-manifest.json', 'notes.txt']) writeFileSync(path.join(dir, f), 'old');
  const a = new OutputSet(dir);
  // The previous run's outputs are gone before any work; what resume needs, and the user's own files, stay.
  assert.deepEqual(readdirSync(dir).filter((f) => !f.startsWith('.')).sort(), ['notes.txt', 'sweep-manifest.json']);
  a.write('sweep.csv', 'new');
  a.write('charts/y.svg', 'new');
  a.write('report.html', 'new');
  assert.equal(existsSync(path.join(dir, 'sweep.csv')), false, 'nothing visible before commit');
  // A second writer while the first holds DIR is refused (issue 21), the first's staging untouched.
  assert.throws(() => new OutputSet(dir), /in use by another capsim: pid \d+/);
  assert.equal(existsSync(a.staging), true, 'the holder keeps its staging directory');
  a.discard();
  // A run that died leaves only its staging directory; the next run removes it.
  mkdirSync(path.join(dir, '.capsim-staging-999999-0'));
  const b = new OutputSet(dir);
  b.write('report.html', 'b');
  const written = b.commit();
  assert.deepEqual(written.map((f) => path.basename(f)), ['report.html']);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.capsim-')), [], 'no staging directory, no lock left');
  // A charts/ directory that is not capsim's is never removed.
  const mine = path.join(tmp, 'mine');
  mkdirSync(path.join(mine, 'charts'), { recursive: true });
  writeFileSync(path.join(mine, 'charts', 'budget.xlsx'), 'mine');
  assert.throws(() => new OutputSet(mine), /charts holds files capsim did not write \(budget.xlsx\)/);
  assert.ok(existsSync(path.join(mine, 'charts', 'budget.xlsx')));
  const c = new OutputSet(dir);
  c.write('sweep.csv', 'c');
  c.write('report.html', 'c');
  c.write('charts/z.svg', 'c');
  assert.deepEqual(c.commit().map((f) => path.basename(f)), ['charts', 'sweep.csv', 'report.html']);
  assert.deepEqual(readdirSync(path.join(dir, 'charts')), ['z.svg']);
  assert.equal(readdirSync(dir).some((f) => f.startsWith('.capsim-staging-')), false);
});

test('an interrupted rerun into a finished sweep leaves nothing that looks complete', async () => {
  const dir = path.join(tmp, 'rerun');
  const first = capsim('sweep', model, '--vary', 'fleet.containers=1,2', ...quick, '--quiet', '--out', dir);
  assert.equal(first.code, 0, first.stderr);
  for (const f of ['report.html', 'charts', 'sweep.csv', 'sweep.json']) assert.ok(existsSync(path.join(dir, f)), f);
  // A longer rerun, killed without a chance to clean up once its first point is saved.
  const args = ['sweep', model, '--vary', 'fleet.server.workers=3..10', '--vary', 'fleet.containers=1,2', '--duration', '1h', '--replications', '2', '--jobs', '1', '--quiet', '--out', dir];
  const child = spawn(process.execPath, [path.join(root, 'bin/capsim.js'), ...args], { cwd: root });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const outputs = ['report.html', 'charts', 'sweep.csv', 'sweep.json'];
  const started = Date.now();
  while (Date.now() - started < 20_000 && outputs.some((f) => existsSync(path.join(dir, f)))) await new Promise((r) => setTimeout(r, 5));
  // Well into the simulation (16 points of 1 h on one thread take seconds), then killed.
  await new Promise((r) => setTimeout(r, 400));
  child.kill('SIGKILL');
  await exited;
  for (const f of ['report.html', 'charts', 'sweep.csv', 'sweep.json', 'size.json']) assert.equal(existsSync(path.join(dir, f)), false, `${f} of the previous run is gone`);
  // The killed run's staging directory goes with the next run, which completes from the saved points.
  const again = capsim(...args, '--resume');
  assert.equal(again.code, 0, again.stderr);
  for (const f of ['report.html', 'charts', 'sweep.csv', 'sweep.json']) assert.ok(existsSync(path.join(dir, f)), f);
  assert.equal(readdirSync(dir).some((f) => f.startsWith('.capsim-staging-')), false);
});

test('run --out: a killed rerun leaves no run.json or report of the run before', async () => {
  const dir = path.join(tmp, 'run-out');
  assert.equal(capsim('run', model, ...quick, '--out', dir).code, 0);
  assert.ok(existsSync(path.join(dir, 'report.html')));
  const child = spawn(process.execPath, [path.join(root, 'bin/capsim.js'), 'run', model, '--duration', '1h', '--replications', '50', '--jobs', '1', '--out', dir], { cwd: root });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const started = Date.now();
  // Killed once it has started over (the earlier outputs removed), while it simulates.
  while (Date.now() - started < 20_000 && ['report.html', 'charts', 'run.json'].some((f) => existsSync(path.join(dir, f)))) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  await exited;
  for (const f of ['report.html', 'charts', 'run.json']) assert.equal(existsSync(path.join(dir, f)), false, f);
});
