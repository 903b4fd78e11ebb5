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
import { EXAMPLES } from '../../src/cli/examples.js';
import { buildProgram } from '../../src/cli/program.js';
import { capsim, root } from '../experiment/cli-helper.js';

const commands = buildProgram().commands.map((c) => c.name());

test('every command has two or three examples in its --help, and only commands that exist have examples', () => {
  assert.deepEqual(Object.keys(EXAMPLES).sort(), ['capsim', ...commands].sort());
  for (const name of ['capsim', ...commands]) {
    const r = name === 'capsim' ? capsim('--help') : capsim(name, '--help');
    assert.equal(r.code, 0, r.stderr);
    const shown = r.stdout.match(/^ {2}\$ capsim .*$/gm) ?? [];
    assert.ok(shown.length >= 2 && shown.length <= 3, `${name}: ${shown.length} examples`);
    for (const e of EXAMPLES[name]!) {
      assert.ok(e.line.startsWith('capsim '), e.line);
      assert.ok(r.stdout.includes(`$ ${e.line}\n`) || r.stdout.endsWith(`$ ${e.line}`), `${name} --help shows ${e.line}`);
    }
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
  notebook) exec "${process.execPath}" "$cli" notebook --quick --quiet "$@" ;;
  *) exec "${process.execPath}" "$cli" "$cmd" "$@" ;;
esac
`,
);
chmodSync(shim, 0o755);

for (const [name, examples] of Object.entries(EXAMPLES)) {
  test(`the examples of ${name === 'capsim' ? 'capsim --help' : `capsim ${name} --help`} work`, () => {
    for (const e of examples) {
      const cwd = mkdtempSync(path.join(tmpdir(), 'capsim-example-'));
      for (const d of ['models', 'notebooks']) symlinkSync(path.join(root, d), path.join(cwd, d));
      mkdirSync(path.join(cwd, 'out'));
      const r = spawnSync('/bin/sh', ['-c', e.line], { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` } });
      assert.equal(r.status, 0, `${e.line}\n${r.stderr}`);
    }
  });
}
