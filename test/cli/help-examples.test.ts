// Every command's --help ends with two or three examples, and every example works: each runs in
// a shell, in a fresh directory that sees the repository's models/ and notebooks/, through a
// `capsim` that shortens simulations (--duration 20s --warmup 0s --replications 2 placed before
// the example's own options, which win; notebooks with --quick), so a renamed option, a moved
// model or a broken command line fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXAMPLES, shownExample } from '../../src/cli/examples.js';
import { buildProgram } from '../../src/cli/program.js';
import { capsim, root } from '../experiment/cli-helper.js';

const commands = buildProgram().commands.map((c) => c.name());

/** The examples as --help prints them: from "  $ " to the next blank line, without the prompt. */
function shown(help: string): string[] {
  const tail = help.slice(help.indexOf('Examples (from the repository root):'));
  return [...tail.matchAll(/^ {2}\$ (.*(?:\n {4}.*)*)$/gm)].map((m) => m[1]!);
}

const helps = new Map(['capsim', ...commands].map((name) => [name, name === 'capsim' ? capsim('--help') : capsim(name, '--help')]));

test('every command has two or three examples in its --help, and only commands that exist have examples', () => {
  assert.deepEqual(Object.keys(EXAMPLES).sort(), ['capsim', ...commands].sort());
  for (const [name, r] of helps) {
    assert.equal(r.code, 0, r.stderr);
    const list = shown(r.stdout);
    assert.ok(list.length >= 2 && list.length <= 3, `${name}: ${list.length} examples`);
    assert.deepEqual(list, EXAMPLES[name]!.map((e) => shownExample(e.line).replace(/^\$ /, '')));
    for (const text of list) for (const line of text.split('\n')) assert.ok(line.length <= 100, `${name}: a line of ${line.length} characters`);
  }
});

const bin = mkdtempSync(path.join(tmpdir(), 'capsim-examples-bin-'));
const shim = path.join(bin, 'capsim');
writeFileSync(
  shim,
  `#!/bin/sh
cli="${path.join(root, 'bin/capsim.js')}"
cmd="$1"; shift
case "$cmd" in
  run|sweep|size) exec "${process.execPath}" "$cli" "$cmd" --duration 20s --warmup 0s --replications 2 --jobs 1 "$@" ;;
  infer) exec "${process.execPath}" "$cli" infer --duration 20s --warmup 0s --points 6 --waves 1 --replications 2 --jobs 1 "$@" ;;
  notebook) exec "${process.execPath}" "$cli" notebook --quick --quiet "$@" ;;
  *) exec "${process.execPath}" "$cli" "$cmd" "$@" ;;
esac
`,
);
chmodSync(shim, 0o755);

for (const [name, r] of helps) {
  test(`the examples of ${name === 'capsim' ? 'capsim --help' : `capsim ${name} --help`} work, pasted as shown`, () => {
    for (const text of shown(r.stdout)) {
      const cwd = mkdtempSync(path.join(tmpdir(), 'capsim-example-'));
      for (const d of ['models', 'notebooks']) symlinkSync(path.join(root, d), path.join(cwd, d));
      mkdirSync(path.join(cwd, 'out'));
      const run = spawnSync('/bin/sh', ['-c', text], { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` } });
      assert.equal(run.status, 0, `${text}\n${run.stderr}`);
    }
  });
}
