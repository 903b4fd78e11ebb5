// What a generated figure block is, and the Markdown table every block writes its figures in.

export interface FigureBlock {
  id: string;
  /** Files (relative to the repository root) that carry this block. */
  files: string[];
  compute(jobs: number): Promise<string>;
}

/** A markdown table from rows (the first is the header). */
export function mdTable(rows: string[][]): string {
  const esc = (c: string) => c.replaceAll('|', '\\|');
  const [head, ...body] = rows;
  return [`| ${head!.map(esc).join(' | ')} |`, `| ${head!.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}
