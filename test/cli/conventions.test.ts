// What users expect of every command: stdout holds the answer and nothing else; stderr says
// which files were written (and, when not a terminal, shows no progress lines); Ctrl-C says what
// was kept and exits 130.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMALL_MODEL } from '../experiment/fixtures.js';
import { capsim, root } from '../experiment/cli-helper.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'capsim-conventions-'));
const model = path.join(tmp, 'small.yaml');
writeFileSync(model, SMALL_MODEL);
const quick = ['--duration', '2m', '--warmup', '0s', '--replications', '2'];

/** The paths of the one `capsim: wrote …` line, which must all exist. */
function wrote(stderr: string): string[] {
  const lines = stderr.split('\n').filter((l) => l.startsWith('capsim: wrote '));
  assert.equal(lines.length, 1, stderr);
  const paths = lines[0]!.replace(/^capsim: wrote /, '').replace(/ \(.*\)$/, '').split(', ');
  for (const p of paths) assert.ok(existsSync(p), `${p} was said to be written`);
  return paths;
}

function noProgress(stderr: string): void {
  assert.doesNotMatch(stderr, /elapsed|\r/, 'no progress lines when stderr is not a terminal');
}

test('run --out, sweep, size, merge: stderr names every file written; stdout has no "wrote"', () => {
  const dir = (name: string) => path.join(tmp, name);
  const run = capsim('run', model, ...quick, '--out', dir('run'), '--timeline');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(wrote(run.stderr), ['run.json', 'timeline.json', 'report.html', 'charts/'].map((f) => path.join(dir('run'), f)));
  noProgress(run.stderr);
  const grid = ['--vary', 'fleet.server.workers=3,4', ...quick];
  const sweep = capsim('sweep', model, ...grid, '--out', dir('sweep'));
  assert.equal(sweep.code, 0, sweep.stderr);
  assert.deepEqual(wrote(sweep.stderr), ['sweep.csv', 'sweep.json', 'report.html', 'charts/', 'points/'].map((f) => path.join(dir('sweep'), f)));
  assert.match(sweep.stderr, /\(2 points: 4 replications run\)\n/);
  noProgress(sweep.stderr);
  const size = capsim('size', model, ...grid, '--slo', 'p99<=10s', '--out', dir('size'));
  assert.equal(size.code, 0, size.stderr);
  assert.deepEqual(wrote(size.stderr), ['size.json', 'sweep.csv', 'sweep.json', 'report.html', 'charts/', 'points/'].map((f) => path.join(dir('size'), f)));
  noProgress(size.stderr);
  const shard = capsim('sweep', model, ...grid, '--shard', '1/2', '--out', dir('shards'));
  assert.equal(shard.code, 0, shard.stderr);
  assert.deepEqual(wrote(shard.stderr), [`${path.join(dir('shards'), 'points')}/`]);
  assert.equal(capsim('sweep', model, ...grid, '--shard', '2/2', '--out', dir('shards')).code, 0);
  const merge = capsim('merge', dir('shards'));
  assert.equal(merge.code, 0, merge.stderr);
  assert.deepEqual(wrote(merge.stderr), ['sweep.csv', 'sweep.json', 'report.html', 'charts/', 'points/'].map((f) => path.join(dir('shards'), f)));
  for (const r of [run, sweep, size, merge]) assert.doesNotMatch(r.stdout, /wrote/);
});

test('notebook: stderr names the Markdown, the HTML and the files beside them', () => {
  const nb = path.join(tmp, 'tiny.md');
  writeFileSync(nb, `# Tiny\n\n\`\`\`capsim\nrun ${model} --duration 1m --replications 2\n\`\`\`\n`);
  const r = capsim('notebook', nb, '--quick', '--out', path.join(tmp, 'nb'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual(wrote(r.stderr).slice(0, 2), [path.join(tmp, 'nb', 'tiny.md'), path.join(tmp, 'nb', 'tiny.html')]);
  noProgress(r.stderr);
});

test('Ctrl-C during a run: "nothing written", exit 130, nothing in the output directory', async () => {
  const out = path.join(tmp, 'interrupted-run');
  const child = spawn(process.execPath, [path.join(root, 'bin/capsim.js'), 'run', model, '--duration', '2h', '--replications', '400', '--jobs', '2', '--out', out], { cwd: root });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 130, `still running when interrupted? exit ${code}: ${stderr}`);
  assert.match(stderr, /\ncapsim: interrupted; \d+ replications? finished, nothing written \(a run's files appear only when it completes\)/);
  // The directory may exist (outputs are staged in it), but holds nothing: no report, no JSON, no staging.
  assert.deepEqual(existsSync(out) ? readdirSync(out) : [], []);
});
