// The progress line: only on a terminal, never with --quiet, not before the delay, with an ETA
// that counts down between completions, one terminal line wide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clock, ProgressReporter, type ProgressStream } from '../../src/report/progress.js';

function stream(isTTY: boolean, columns = 100): ProgressStream & { text: string } {
  const s = { isTTY, columns, text: '', write: (t: string) => (s.text += t) };
  return s;
}

const point = (done: number, total: number, pointsDone = 0) => ({ total, done, points: 4, pointsDone, pointsReused: 0 });

test('no progress when stderr is not a terminal, or with --quiet', () => {
  for (const [tty, quiet] of [[false, false], [true, true], [false, true]] as const) {
    let t = 0;
    const out = stream(tty);
    const p = new ProgressReporter(out, quiet, { redraw: 0, now: () => t });
    for (let i = 0; i <= 8; i++) {
      t += 5000;
      p.update(point(i, 8));
      p.replications(i, 8);
    }
    p.end();
    assert.equal(out.text, '', `tty ${tty}, quiet ${quiet}`);
  }
});

test('on a terminal: nothing for the first 2 s, then one line redrawn in place with an ETA', () => {
  let t = 0;
  const out = stream(true);
  const p = new ProgressReporter(out, false, { redraw: 0, now: () => t });
  t = 1000;
  p.update(point(0, 8));
  assert.equal(out.text, '', 'a quick command prints nothing');
  t = 3000;
  p.update(point(1, 8));
  // 1 of 8 after 3 s: 7 × 3 s to go.
  assert.equal(out.text, '\r[###.................]  13%  1/8 replications, 0/4 points, 3s elapsed, ETA 21s\x1b[K');
  out.text = '';
  t = 8000;
  p.replications(1, 8); // nothing finished since: the ETA counts down
  assert.match(out.text, /^\r.*1\/8 replications, 8s elapsed, ETA 16s\x1b\[K$/);
  out.text = '';
  t = 9000;
  p.update(point(8, 8, 4));
  assert.match(out.text, /100%  8\/8 replications, 4\/4 points, 9s elapsed\x1b\[K$/);
  assert.doesNotMatch(out.text, /ETA/);
  p.end();
  assert.ok(out.text.endsWith('\n'));
  p.end();
  assert.equal(out.text.match(/\n/g)!.length, 1, 'end() leaves the line once');
});

test('the line fits the terminal, dropping the bar first', () => {
  let t = 0;
  const out = stream(true, 50);
  const p = new ProgressReporter(out, false, { redraw: 0, now: () => t, delay: 0 });
  t = 61_000;
  p.update(point(3, 800, 1), 'rerun 2');
  const line = out.text.replace(/^\r/, '').replace(/\x1b\[K$/, '');
  assert.ok(line.length <= 49, line);
  assert.ok(line.startsWith('rerun 2: 3/800 replications'), line);
  assert.doesNotMatch(line, /\[#*\.*\]/);
});

test('open-ended runs (--precision) show counts and time, no bar and no ETA', () => {
  let t = 0;
  const out = stream(true);
  const p = new ProgressReporter(out, false, { redraw: 0, now: () => t });
  t = 4000;
  p.replications(12, null);
  assert.equal(out.text, '\r12 replications, 4s elapsed\x1b[K');
});

test('clock', () => {
  assert.deepEqual([clock(4.4), clock(75), clock(3725), clock(NaN)], ['4s', '1m15s', '1h02m', '?']);
});
