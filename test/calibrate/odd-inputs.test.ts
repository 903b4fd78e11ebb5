// Issue 21, items 2 and 3: every reader of user files (model files, price tables, notebooks,
// access logs, replayed logs) with the odd inputs a user meets: a file that grows or is replaced
// while it is read, a directory for a file and the reverse, a symbolic link loop, a directory of
// many small files, names with spaces and non-ASCII characters, empty files, a gzip log cut short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { readLogs } from '../../src/logs/read-logs.js';
import { forEachLine } from '../../src/logs/line-source.js';
import { forEachLineSync } from '../../src/logs/line-source-sync.js';
import { readInputFile } from '../../src/experiment/input-file.js';
import { SMALL_MODEL } from '../experiment/fixtures.js';
import { capsim } from '../experiment/cli-helper.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'capsim-odd-'));
const model = path.join(tmp, 'small.yaml');
writeFileSync(model, SMALL_MODEL);

// An ALB line (the AWS documentation's example) with a chosen time and path.
const t0 = Date.UTC(2026, 11, 2, 10) / 1000;
function alb(i: number): string {
  const t = new Date((t0 + i * 0.25) * 1000).toISOString();
  return `http ${t} app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.0${(i % 9) + 1}0 0.000 200 200 34 366 "GET http://www.example.com:80/users/${i % 50} HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 ${t} "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90`;
}
const albText = (n: number, from = 0) => `${Array.from({ length: n }, (_, i) => alb(from + i)).join('\n')}\n`;

/** exit 2 and one line matching pattern (warnings aside). */
function refused(args: string[], pattern: RegExp): string {
  const r = capsim(...args);
  assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('capsim: warning'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, pattern);
  return lines[0]!;
}

test('a gzip log cut anywhere is named with the line it stopped after (exit 2); a file that is not a log is refused', async () => {
  const f = path.join(tmp, 'cut.log.gz');
  const whole = gzipSync(albText(3000));
  // Cut at many places, from inside the header to just before the end.
  for (const at of [5, 11, 100, Math.floor(whole.length / 3), Math.floor(whole.length / 2), whole.length - 9, whole.length - 1]) {
    writeFileSync(f, whole.subarray(0, at));
    await assert.rejects(
      readLogs([f], { format: 'alb' }, () => {}),
      (e: Error & { exitCode?: number }) => e.exitCode === 2 && /cut\.log\.gz: corrupt gzip data after line \d+$/.test(e.message),
      `cut at ${at}`,
    );
  }
  writeFileSync(f, whole.subarray(0, whole.length >> 1));
  refused(['calibrate', f], /^capsim: .*cut\.log\.gz: corrupt gzip data after line \d+$/);
  const prose = path.join(tmp, 'notes.txt');
  writeFileSync(prose, 'not a log\nat all\n');
  refused(['calibrate', prose], /notes\.txt: cannot tell the log format/);
});

test('a log appended to while it is read is read as it was when opened, and the report says so', async () => {
  const f = path.join(tmp, 'live.log');
  // Over 1 MiB: read in chunks (a smaller file is read at once, before any line is handed over).
  writeFileSync(f, albText(4000));
  let n = 0;
  const s = await readLogs([f], { format: 'alb' }, () => {
    // The server writes on while capsim reads.
    if (++n === 10) appendFileSync(f, albText(500, 4000));
  });
  assert.equal(s.records, 4000, 'the lines there when it was opened, no more');
  assert.equal(s.grew?.length, 1);
  assert.equal(s.grew![0]!.file, f);
  assert.ok(s.grew![0]!.bytesNow > s.grew![0]!.bytesRead);
  const { readLines } = await import('../../src/calibrate/report.js');
  assert.match(readLines(s).join('\n'), /grew while it was read: .*live\.log: read as it was when opened \([\d,]+ bytes; [\d,]+ now\): later lines left out/);
  // A replayed log must not change at all (every replication replays the same arrivals).
  writeFileSync(f, albText(2000));
  assert.throws(
    () => forEachLineSync(f, (_l, i) => i === 5 && appendFileSync(f, albText(10, 5000))),
    (e: Error & { exitCode?: number }) => e.exitCode === 2 && /live\.log: changed while it was read/.test(e.message),
  );
});

test('a log replaced by a rename while it is read is read whole as it was; one rewritten in place is "changed while it was read"', async () => {
  const f = path.join(tmp, 'rotated.log');
  writeFileSync(f, albText(4000));
  const next = path.join(tmp, 'rotated.log.new');
  let n = 0;
  const lines = await forEachLine(f, () => {
    if (++n === 3) {
      writeFileSync(next, albText(10, 9000));
      renameSync(next, f); // logrotate's create mode, or an editor's save
    }
  });
  assert.equal(lines, 4000, 'the descriptor keeps the file as it was opened');
  // Truncated in place (copytruncate): shorter than when opened.
  writeFileSync(f, albText(4000));
  n = 0;
  await assert.rejects(
    forEachLine(f, () => ++n === 3 && truncateSync(f, 100)),
    (e: Error & { exitCode?: number }) => e.exitCode === 2 && /rotated\.log: changed while it was read \([\d,]+ bytes when opened, 100 after; rewritten or truncated\)/.test(e.message),
  );
  // Rewritten in place at the same size: the modification time tells.
  writeFileSync(f, albText(4000));
  n = 0;
  await assert.rejects(
    forEachLine(f, () => {
      if (++n === 3) {
        writeFileSync(f, albText(4000));
        utimesSync(f, new Date(), new Date(Date.now() + 5000));
      }
    }),
    /rotated\.log: changed while it was read/,
  );
});

test('a directory where a file is expected, and a file where a directory is: exit 2 naming it', () => {
  const dir = path.join(tmp, 'a dir');
  mkdirSync(dir);
  const file = path.join(tmp, 'a file');
  writeFileSync(file, 'x');
  refused(['run', dir], /^capsim: .*a dir: cannot read file \(is a directory\)$/);
  refused(['sweep', model, '--vary', 'fleet.containers=1,2', '--prices', dir], /a dir: cannot read the price table \(is a directory\)$/);
  const nbDir = path.join(tmp, 'dir.md');
  mkdirSync(nbDir);
  refused(['notebook', nbDir, '--out', path.join(tmp, 'nb')], /dir\.md: cannot read the notebook \(is a directory\)$/);
  refused(['calibrate', model, '--out', dir], /--out .*a dir: is a directory; expected the name of a file to write$/);
  refused(['run', model, '--access-log', 'alb', dir], /--access-log .*a dir: is a directory; expected the name of a file to write$/);
  refused(['run', model, '--out', file], /--out .*a file: is a file; expected a directory/);
  refused(['merge', file, '--out', path.join(tmp, 'm')], /a file: is a file; expected the output directory of capsim sweep$/);
  refused(['calibrate', path.join(file, 'x.log')], /a file\/x\.log: a path through a file$/);
});

test('symbolic links in a log directory: followed; a loop, a link to nothing or a file reached twice is named (exit 2), never a hang', () => {
  const root = path.join(tmp, 'linked logs');
  mkdirSync(path.join(root, '2026/12'), { recursive: true });
  writeFileSync(path.join(root, '2026/12/a.log'), albText(100));
  mkdirSync(path.join(tmp, 'elsewhere'));
  writeFileSync(path.join(tmp, 'elsewhere/b.log'), albText(50, 100));
  symlinkSync(path.join(tmp, 'elsewhere'), path.join(root, 'more'));
  const ok = capsim('calibrate', root, '--no-check', '--json');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).read.records, 150, 'a link to a folder is followed');
  symlinkSync('..', path.join(root, '2026/12/up'));
  refused(['calibrate', root], /linked logs\/2026\/12\/up: a symbolic link loop: it leads back to .*linked logs\/2026, a folder it is in/);
  readdirSync(path.join(root, '2026/12'));
  const loop = path.join(tmp, 'loop');
  mkdirSync(loop);
  symlinkSync('b', path.join(loop, 'a'));
  symlinkSync('a', path.join(loop, 'b'));
  refused(['calibrate', loop], /loop\/a: a symbolic link loop \(links that lead to each other\)/);
  const dangling = path.join(tmp, 'dangling');
  mkdirSync(dangling);
  symlinkSync('gone.log', path.join(dangling, 'current.log'));
  refused(['calibrate', dangling], /dangling\/current\.log: a symbolic link to nothing \(gone\.log\)$/);
  const twice = path.join(tmp, 'twice');
  mkdirSync(twice);
  writeFileSync(path.join(twice, 'a.log'), albText(10));
  symlinkSync('a.log', path.join(twice, 'b.log'));
  refused(['calibrate', twice], /twice\/b\.log: the same file as .*twice\/a\.log \(a symbolic link, or named twice\)/);
});

test('a log directory of many small files: read one at a time, memory and open files bounded', async () => {
  // 20,000 files (about 6 s): 100,000 take about 30 s to make and read on a loaded 2-core
  // machine (CAPSIM_MANY_FILES=100000 runs that).
  const N = Number(process.env['CAPSIM_MANY_FILES'] ?? 20_000);
  const dir = path.join(tmp, 'many');
  const made0 = performance.now();
  for (let d = 0; d < N / 1000; d++) {
    const sub = path.join(dir, String(d).padStart(3, '0'));
    mkdirSync(sub, { recursive: true });
    for (let i = 0; i < 1000; i++) writeFileSync(path.join(sub, `${i}.log`), `${alb(d * 1000 + i)}\n`);
  }
  const fds = () => readdirSync('/proc/self/fd').length;
  const fdsBefore = fds();
  let fdsMax = 0;
  // Live heap, not garbage waiting for a collection.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapMax = 0;
  let n = 0;
  const t = performance.now();
  const made = (t - made0) / 1000;
  const s = await readLogs([dir], { format: 'auto' }, () => {
    if (++n % 997 === 0) fdsMax = Math.max(fdsMax, fds());
    if (n % 4999 === 0) {
      gc();
      heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
    }
  });
  const seconds = (performance.now() - t) / 1000;
  assert.equal(s.files.length, N);
  assert.equal(s.records, N);
  assert.ok(fdsMax - fdsBefore <= 4, `open files: ${fdsBefore} before, at most ${fdsMax} while reading`);
  // The file names (the summary lists them) and little else: well under 1 KB a file.
  assert.ok(heapMax - heapBefore < N * 1024, `heap grew by ${((heapMax - heapBefore) / 2 ** 20).toFixed(1)} MiB`);
  process.stderr.write(`# ${N} files made in ${made.toFixed(1)} s, read in ${seconds.toFixed(1)} s; open files ${fdsBefore} → ${fdsMax}; heap +${((heapMax - heapBefore) / 2 ** 20).toFixed(1)} MiB\n`);
});

test('names with spaces and non-ASCII characters work and are echoed as given', () => {
  const dir = path.join(tmp, 'Prod logs — été 2026');
  mkdirSync(dir);
  const log = path.join(dir, 'ALB ñ 日本.log');
  writeFileSync(log, albText(400));
  const m = path.join(dir, 'modèle à moi.yaml');
  const out = path.join(dir, 'sortie finale');
  const cal = capsim('calibrate', log, '--out', m, '--no-check');
  assert.equal(cal.code, 0, cal.stderr);
  assert.match(cal.stderr, /^capsim: wrote .*Prod logs — été 2026\/modèle à moi\.yaml\n$/);
  const run = capsim('run', m, '--duration', '2m', '--warmup', '0s', '--replications', '2', '--out', out);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /capsim: wrote .*été 2026\/sortie finale\/run\.json/);
  // A notebook named the same way, its block running that model, written to a folder named so too.
  const nb = path.join(dir, 'carnet é 1.md');
  writeFileSync(nb, `# Notes\n\n\`\`\`capsim\nrun "${m}" --duration 2m --warmup 0s --replications 2\n\`\`\`\n`);
  const book = capsim('notebook', nb, '--out', out, '--quiet');
  assert.equal(book.code, 0, book.stderr);
  assert.match(book.stderr, /capsim: wrote .*sortie finale\/carnet é 1\.md, .*sortie finale\/carnet é 1\.html/);
  assert.ok(readdirSync(out).includes('carnet é 1.html'));
  writeFileSync(path.join(dir, 'vide ü.yaml'), '');
  refused(['run', path.join(dir, 'vide ü.yaml')], /^capsim: .*Prod logs — été 2026\/vide ü\.yaml: empty file; expected a YAML model file$/);
});

test('empty files: a clear message, exit 2 where nothing can be done; an empty log among others is counted', () => {
  const e = (name: string) => {
    const f = path.join(tmp, 'empty', name);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, '');
    return f;
  };
  refused(['run', e('model.yaml')], /empty\/model\.yaml: empty file; expected a YAML model file$/);
  refused(['sweep', model, '--vary', 'fleet.containers=1,2', '--prices', e('prices.yaml')], /empty\/prices\.yaml: empty file; expected a YAML price table$/);
  refused(['notebook', e('nb.md'), '--out', path.join(tmp, 'nb')], /empty\/nb\.md: empty file; expected a Markdown notebook/);
  refused(['calibrate', e('a.log')], /empty\/a\.log: empty file; expected access log lines$/);
  const gz = path.join(tmp, 'empty', 'b.log.gz');
  writeFileSync(gz, gzipSync(''));
  refused(['calibrate', path.join(tmp, 'empty', '*.log*')], /all 2 files are empty or blank; expected access log lines$/);
  assert.throws(() => readInputFile(e('x.txt'), { expected: 'a thing' }), /x\.txt: empty file; expected a thing/);
  // One empty file among logs: read, and counted in the report.
  const mixed = path.join(tmp, 'mixed');
  mkdirSync(mixed);
  writeFileSync(path.join(mixed, 'a.log'), '');
  writeFileSync(path.join(mixed, 'b.log'), albText(300));
  const r = capsim('calibrate', mixed, '--no-check');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /read: 2 files, format alb \(detected\).*\n {2}1 empty file \(nothing to read in it\)/);
});
