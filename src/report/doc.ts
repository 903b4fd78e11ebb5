// A command's figures as parts (lines of text and tables), so that the terminal and report.html
// show the same thing: the terminal as aligned text, the report as HTML tables.

/** A line of text, or a table whose first row is its header. */
export type DocPart = string | { table: string[][] };

export type Doc = DocPart[];

import { table } from './format.js';

export function docText(doc: Doc): string {
  return doc.map((p) => (typeof p === 'string' ? p : table(p.table))).join('\n');
}
