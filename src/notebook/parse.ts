// A notebook is Markdown: prose, and fenced ```capsim blocks, each one command line
// (`run …`, `sweep …`, `size …` or `chart …`; a line ending in \ continues on the next).
export type Segment = { kind: 'prose'; text: string } | { kind: 'block'; line: number; command: string; source: string };

const FENCE_OPEN = /^```\s*capsim\s*$/;
const FENCE_CLOSE = /^```\s*$/;

export class NotebookSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseNotebook(text: string): Segment[] {
  const lines = text.split('\n');
  const out: Segment[] = [];
  let prose: string[] = [];
  const flush = () => {
    if (prose.length > 0) out.push({ kind: 'prose', text: prose.join('\n') });
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_OPEN.test(lines[i]!)) {
      prose.push(lines[i]!);
      continue;
    }
    const start = i + 1; // 1-based line of the command
    const body: string[] = [];
    for (i++; i < lines.length && !FENCE_CLOSE.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new NotebookSyntaxError(start - 1 + 1, 'a ```capsim block is not closed');
    const command = body
      .join('\n')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    if (command.length !== 1) throw new NotebookSyntaxError(start + 1, `a capsim block holds one command line; found ${command.length}`);
    flush();
    out.push({ kind: 'block', line: start + 1, command: command[0]!, source: body.join('\n') });
  }
  flush();
  return out;
}

/** Split a command line like a shell: spaces separate, quotes group, backslash escapes. */
export function splitArgs(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) args.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} quote`);
  if (has || cur) args.push(cur);
  return args;
}
