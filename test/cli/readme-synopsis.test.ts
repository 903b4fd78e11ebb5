// The README's synopsis (the first code block under "## The command line") lists every command
// and every option the CLI defines, and nothing the CLI does not have: add an option to a
// command and this fails until the README says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildProgram } from '../../src/cli/program.js';
import { root } from '../experiment/cli-helper.js';

/** command name -> its synopsis text (the line starting `capsim NAME` and its indented continuations). */
function synopsis(): Map<string, string> {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## The command line\n'));
  const block = /\n```\n([\s\S]*?)\n```\n/.exec(section)?.[1];
  assert.ok(block, 'a code block under "## The command line"');
  const entries = new Map<string, string>();
  let current: string | null = null;
  for (const line of block.split('\n')) {
    const m = /^capsim (\w+)/.exec(line);
    if (m) {
      current = m[1]!;
      entries.set(current, line);
    } else if (current !== null && /^\s+\S/.test(line)) {
      entries.set(current, `${entries.get(current)!} ${line.trim()}`);
    }
  }
  return entries;
}

const flag = (text: string, long: string) => new RegExp(`(^|[\\s\\[])${long}(?=[\\s\\]=]|$)`).test(text);

test('the README synopsis lists every command and every option, and only those', () => {
  const entries = synopsis();
  const program = buildProgram();
  for (const command of program.commands) {
    const text = entries.get(command.name());
    assert.ok(text !== undefined, `README synopsis: no line for capsim ${command.name()}`);
    for (const o of command.options) assert.ok(flag(text, o.long!), `README synopsis of capsim ${command.name()} lacks ${o.long}`);
    const known = new Set(command.options.map((o) => o.long));
    for (const m of text.matchAll(/--[a-z][a-z-]*/g)) assert.ok(known.has(m[0]) || m[0] === '--help', `README synopsis of capsim ${command.name()} lists ${m[0]}, which it does not have`);
    const args = command.registeredArguments.map((a) => `[A-Z]+${a.variadic ? '…' : ''}`).join(' ');
    if (args !== '') assert.match(text, new RegExp(`^capsim ${command.name()} ${args}(\\s|$)`), `${command.name()}: its arguments`);
  }
  const names = new Set(program.commands.map((c) => c.name()));
  for (const name of entries.keys()) assert.ok(names.has(name), `README synopsis lists capsim ${name}, which does not exist`);
});
