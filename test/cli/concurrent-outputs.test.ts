// Issue 21, item 1: one writer at a time per output. Two capsim processes writing one --out
// folder (or one --out / --access-log file) at once: the second is refused with exit 2, naming the
// folder and the holder (pid, command, since when); a lock left by a killed process does not
// block; --resume while another process writes is refused; shards of one sweep share a folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { OutputLock, processStart, REMOTE_STALE_MS } from '../../src/experiment/output-lock.js';
import { SMALL_MODEL } from '../experiment/fixtures.js';
import { capsim, root } from '../experiment/cli-helper.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'capsim-locks-'));
const model = path.join(tmp, 'small.yaml');
writeFileSync(model, SMALL_MODEL);

interface Done {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<Done> } {
  const child = spawn(process.execPath, [path.join(root, 'bin/capsim.js'), ...args], { cwd: root });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdout!.resume();
  const done = new Promise<Done>((resolve) => child.on('exit', (code, signal) => resolve({ pid: child.pid!, code, signal, stderr })));
  return { child, done };
}

async function waitFor(cond: () => boolean, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Long enough that a second process started at the same time finds the first still writing.
const slow = ['--duration', '1h', '--warmup', '0s', '--replications', '2', '--jobs', '1', '--quiet'];
const slower = ['--duration', '2h', '--warmup', '0s', '--replications', '3', '--jobs', '1', '--quiet'];

test('two runs started together into one --out: one writes, the other is refused naming the folder and the holder', async () => {
  const dir = path.join(tmp, 'together run');
  const args = ['run', model, ...slow, '--out', dir];
  const [a, b] = [start(args), start(args)];
  const results = await Promise.all([a.done, b.done]);
  const ok = results.filter((r) => r.code === 0);
  const refused = results.filter((r) => r.code === 2);
  assert.equal(ok.length, 1, results.map((r) => r.stderr).join('\n---\n'));
  assert.equal(refused.length, 1, results.map((r) => r.stderr).join('\n---\n'));
  const line = refused[0]!.stderr.trim().split('\n').filter((l) => !l.startsWith('capsim: warning'));
  assert.equal(line.length, 1, refused[0]!.stderr);
  // The folder (with its space), the holder's pid, command and start time.
  assert.match(line[0]!, new RegExp(`^capsim: --out .*together run: in use by another capsim: pid ${ok[0]!.pid} \\(capsim run .*--out '.*together run'\\), since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; wait for it to finish, or choose another --out$`));
  assert.doesNotMatch(refused[0]!.stderr, /capsim: wrote/);
  assert.match(ok[0]!.stderr, /capsim: wrote .*run\.json/);
  assert.deepEqual(readdirSync(dir).sort(), ['charts', 'report.html', 'run.json'], 'the lock is gone, the winner\'s files in place');
});

test('two sweeps, two --access-log writers, two calibrate --out writers at once: the second is refused', async () => {
  const dir = path.join(tmp, 'together-sweep');
  const sweep = ['sweep', model, '--vary', 'fleet.containers=1,2', ...slow, '--out', dir];
  const log = path.join(tmp, 'logs', 'ünïcode log.log');
  const access = ['run', model, '--duration', '20m', '--warmup', '0s', '--replications', '1', '--access-log', 'alb', log];
  const [s1, s2, l1, l2] = [start(sweep), start(sweep), start(access), start(access)];
  const [r1, r2, a1, a2] = await Promise.all([s1.done, s2.done, l1.done, l2.done]);
  assert.deepEqual([r1.code, r2.code].sort(), [0, 2], `${r1.stderr}\n---\n${r2.stderr}`);
  assert.match([r1, r2].find((r) => r.code === 2)!.stderr, /--out .*together-sweep: in use by another capsim: pid \d+ \(capsim sweep /);
  assert.deepEqual([a1.code, a2.code].sort(), [0, 2], `${a1.stderr}\n---\n${a2.stderr}`);
  assert.match([a1, a2].find((r) => r.code === 2)!.stderr, /--access-log .*ünïcode log\.log: in use by another capsim: pid \d+ \(capsim run /);
  assert.deepEqual(readdirSync(path.dirname(log)), ['ünïcode log.log']);
  // calibrate --out FILE: the same rule for a file.
  const out = path.join(tmp, 'calibrated.yaml');
  const cal = ['calibrate', log, '--out', out];
  const [c1, c2] = [start(cal), start(cal)];
  const cs = await Promise.all([c1.done, c2.done]);
  assert.deepEqual(cs.map((c) => c.code).sort(), [0, 2], cs.map((c) => c.stderr).join('\n---\n'));
  assert.match(cs.find((c) => c.code === 2)!.stderr, /--out .*calibrated\.yaml: in use by another capsim: pid \d+ \(capsim calibrate /);
  assert.equal(existsSync(path.join(tmp, '.calibrated.yaml.capsim-lock')), false);
});

test("a killed writer's lock does not block: the next run takes it over and says so", async () => {
  const dir = path.join(tmp, 'killed');
  const w = start(['run', model, ...slower, '--out', dir]);
  const lock = path.join(dir, '.capsim-lock');
  await waitFor(() => existsSync(lock));
  const held = JSON.parse(readFileSync(lock, 'utf8'));
  assert.equal(held.pid, w.child.pid);
  assert.match(held.command, /^capsim run /);
  w.child.kill('SIGKILL');
  await w.done;
  assert.ok(existsSync(lock), 'SIGKILL leaves the lock');
  const again = capsim('run', model, '--duration', '2m', '--warmup', '0s', '--replications', '2', '--out', dir);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`capsim: note: --out .*killed was locked by pid ${w.child.pid} \\(capsim run .*\\), since .*, no longer running; taken over`));
  assert.equal(existsSync(lock), false);
});

test('--resume of a sweep another process is still writing is refused; SIGTERM (exit 130) releases the lock', async () => {
  const dir = path.join(tmp, 'resume');
  const args = ['sweep', model, '--vary', 'fleet.server.workers=3..8', ...slower, '--out', dir];
  const w = start(args);
  await waitFor(() => existsSync(path.join(dir, '.capsim-lock')));
  const r = capsim(...args, '--resume');
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`--out .*resume: in use by another capsim: pid ${w.child.pid} \\(capsim sweep `));
  // A shard cannot start in a folder an unsharded sweep holds either.
  const shard = capsim(...args, '--shard', '1/2');
  assert.equal(shard.code, 2, shard.stderr);
  assert.match(shard.stderr, new RegExp(`pid ${w.child.pid} \\(capsim sweep `));
  w.child.kill('SIGTERM');
  const d = await w.done;
  assert.equal(d.code, 130, d.stderr);
  assert.match(d.stderr, /interrupted; \d+ of 6 points finished/);
  assert.equal(existsSync(path.join(dir, '.capsim-lock')), false, 'released on SIGTERM');
  assert.equal(existsSync(path.join(dir, '.capsim-lock.shard-1-of-2')), false, 'the refused shard left no lock');
});

test('shards of one sweep share a folder; a sweep or merge there while a shard runs is refused', async () => {
  const dir = path.join(tmp, 'shards');
  const grid = ['sweep', model, '--vary', 'fleet.server.workers=3..6', ...slower, '--out', dir];
  // Shard 1/2 twice at once: one of the two is refused.
  const [s1, s2, again] = [start([...grid, '--shard', '1/2']), start([...grid, '--shard', '2/2']), start([...grid, '--shard', '1/2'])];
  await waitFor(() => existsSync(path.join(dir, '.capsim-lock.shard-1-of-2')) || existsSync(path.join(dir, '.capsim-lock.shard-2-of-2')));
  const whole = capsim(...grid);
  assert.equal(whole.code, 2, whole.stderr);
  assert.match(whole.stderr, /in use by another capsim: shard [12]\/2: pid \d+/);
  const done = await Promise.all([s1.done, s2.done, again.done]);
  assert.equal(done[1]!.code, 0, done[1]!.stderr);
  assert.deepEqual([done[0]!.code, done[2]!.code].sort(), [0, 2], done.map((x) => x.stderr).join('\n'));
  assert.match([done[0]!, done[2]!].find((x) => x.code === 2)!.stderr, /in use by another capsim: shard 1\/2: pid \d+/);
  // A shard still writing (its lock, as a live process holds it): merge refuses, naming it.
  const shardLock = path.join(dir, '.capsim-lock.shard-2-of-2');
  fakeLock(shardLock, { pid: process.ppid, start: processStart(process.ppid), shard: '2/2', command: 'capsim sweep small.yaml --shard 2/2' });
  const merge = capsim('merge', dir);
  assert.equal(merge.code, 2, merge.stderr);
  assert.match(merge.stderr, new RegExp(`merge .*shards: still being written by shard 2/2: pid ${process.ppid} \\(capsim sweep small.yaml --shard 2/2\\)`));
  rmSync(shardLock);
  const m = capsim('merge', dir);
  assert.equal(m.code, 0, m.stderr);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.capsim')), []);
});

/** A lock file as another process would write it. */
function fakeLock(file: string, holder: Record<string, unknown>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ host: hostname(), since: '2026-12-07T10:00:00.000Z', command: 'capsim sweep other.yaml', nonce: 'n0', ...holder })}\n`);
}

test('stale or live: a dead pid, a reused pid (another start time), another host, a half-written lock', () => {
  const dir = path.join(tmp, 'stale');
  const lock = path.join(dir, '.capsim-lock');
  const notes: string[] = [];
  const note = (t: string) => notes.push(t);
  // A live process (this one's parent) with its real start time: live.
  const live = process.ppid;
  fakeLock(lock, { pid: live, start: processStart(live) });
  assert.throws(() => OutputLock.acquire(dir, { note }), new RegExp(`in use by another capsim: pid ${live} \\(capsim sweep other.yaml\\), since 2026-12-07T10:00:00.000Z`));
  assert.ok(existsSync(lock), 'a live lock is never removed');
  // The same pid with another start time: the pid was reused, the lock is stale.
  fakeLock(lock, { pid: live, start: 'another-boot:1' });
  OutputLock.acquire(dir, { note }).release();
  assert.match(notes.pop()!, new RegExp(`was locked by pid ${live} .*no longer running; taken over`));
  // Another host: live while refreshed, stale after REMOTE_STALE_MS.
  fakeLock(lock, { pid: 1, host: 'build-7', start: null });
  assert.throws(() => OutputLock.acquire(dir, { note }), /pid 1 on build-7 \(capsim sweep other.yaml\)/);
  const old = new Date(Date.now() - REMOTE_STALE_MS - 60_000);
  utimesSync(lock, old, old);
  OutputLock.acquire(dir, { note }).release();
  assert.match(notes.pop()!, /pid 1 on build-7 .*not refreshed for over 1 h; taken over/);
  // Without a start time (no /proc where it was taken), a live pid keeps it and the message says how to clear it.
  fakeLock(lock, { pid: live, start: null });
  assert.throws(() => OutputLock.acquire(dir, { note }), /if pid \d+ is not capsim, remove .*\.capsim-lock/);
  // Half-written (its writer killed between create and write): live for a few seconds, then stale.
  writeFileSync(lock, '');
  assert.throws(() => OutputLock.acquire(dir, { note }), /a process that is taking it now/);
  const past = new Date(Date.now() - 60_000);
  utimesSync(lock, past, past);
  OutputLock.acquire(dir, { note }).release();
  assert.match(notes.pop()!, /its lock .*\.capsim-lock was left half-written by a process that died; taken over/);
  assert.equal(existsSync(lock), false);
});

test("a release never deletes another process's lock", () => {
  const dir = path.join(tmp, 'release');
  const mine = OutputLock.acquire(dir);
  const lock = path.join(dir, '.capsim-lock');
  // Someone judged it stale and took it (it is theirs now): our release leaves it.
  fakeLock(lock, { pid: process.ppid, start: processStart(process.ppid), nonce: 'theirs' });
  mine.release();
  assert.equal(JSON.parse(readFileSync(lock, 'utf8')).nonce, 'theirs');
});

test('every writer refuses a folder or file another live process holds: size, merge, notebook, page, backtest, calibrate', () => {
  const held = (file: string) => fakeLock(file, { pid: process.ppid, start: processStart(process.ppid) });
  const d = (name: string) => path.join(tmp, 'held', name);
  const cases: [string[], string][] = [
    [['size', model, '--vary', 'fleet.containers=1,2', '--slo', 'p99<=1s', '--out', d('size')], d('size')],
    [['notebook', path.join(root, 'notebooks/incident-postmortem.md'), '--out', d('nb')], d('nb')],
    [['page', model, '--out', d('page')], d('page')],
    [['backtest', model, path.join(tmp, 'logs'), '--out', d('backtest')], d('backtest')],
    [['run', model, '--out', d('run')], d('run')],
  ];
  for (const [args, dir] of cases) {
    held(path.join(dir, '.capsim-lock'));
    const r = capsim(...args);
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`--out ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: in use by another capsim: pid ${process.ppid} \\(capsim sweep other.yaml\\), since 2026-12-07T10:00:00.000Z`), args[0]);
    assert.ok(existsSync(path.join(dir, '.capsim-lock')), `${args[0]} left the holder's lock alone`);
  }
  const cal = d('model.yaml');
  held(path.join(path.dirname(cal), '.model.yaml.capsim-lock'));
  const c = capsim('calibrate', path.join(tmp, 'logs'), '--out', cal);
  assert.equal(c.code, 2, c.stderr);
  assert.match(c.stderr, /--out .*model\.yaml: in use by another capsim: pid \d+/);
});
