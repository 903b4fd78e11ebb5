// A self-contained HTML document: inline CSS, charts as inline SVG, no script and nothing
// fetched, so the file opens anywhere, offline, and can be mailed or attached to a ticket.
import type { Doc } from '../doc.js';
import type { ExplainValue } from '../explain.js';
import { documentStart, escapeHtml } from './escape.js';

export type Block =
  | { kind: 'heading'; text: string; level?: 2 | 3 }
  | { kind: 'paragraph'; text: string }
  /** Already-safe HTML (rendered Markdown, for notebooks). */
  | { kind: 'html'; html: string }
  | { kind: 'pre'; text: string; caption?: string }
  /** A command line: wrapped, never clipped. */
  | { kind: 'command'; text: string }
  /** Figures: lines as paragraphs, tables as HTML tables. */
  | { kind: 'doc'; doc: Doc }
  | { kind: 'chart'; id: string; title: string; svg: string }
  | { kind: 'settings'; values: readonly ExplainValue[] }
  /** The answer a page opens with. */
  | { kind: 'answer'; text: string }
  /** The model's warnings, in a box before any chart (none: the box says so). */
  | { kind: 'warnings'; lines: readonly string[] };

const STYLE = `
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; } h3 { margin-top: 1.4em; }
pre { background: #f6f6f6; padding: 0.8em; font-size: 0.82em; line-height: 1.3; white-space: pre-wrap; overflow-wrap: anywhere; }
p.answer { font-size: 1.1em; font-weight: 600; background: #f2f5fa; border-left: 4px solid #4c78a8; padding: 0.6em 0.8em; margin: 0.8em 0; }
ul.answers { background: #f2f5fa; border-left: 4px solid #4c78a8; padding: 0.5em 0.8em 0.5em 2em; margin: 0.8em 0; }
ul.answers li { margin: 0.35em 0; } ul.answers span.answer { font-weight: 600; } ul.answers code { font-size: 0.85em; overflow-wrap: anywhere; }
div.warnings { background: #fff8e6; border-left: 4px solid #e8a33d; padding: 0.4em 0.8em; margin: 0.8em 0; font-size: 0.92em; }
div.warnings ul { margin: 0.3em 0; padding-left: 1.2em; } div.warnings p { margin: 0.3em 0; }
pre.command { background: #eef3fb; border-left: 3px solid #4c78a8; white-space: pre-wrap; overflow-wrap: anywhere; }
div.figures { overflow-x: auto; margin: 0.6em 0 1em; }
table.figures { border-collapse: collapse; font-size: 0.8em; font-variant-numeric: tabular-nums; }
table.figures th, table.figures td { padding: 3px 5px; border-bottom: 1px solid #e4e4e4; text-align: right; vertical-align: top; }
table.figures th { background: #f4f4f4; font-weight: 600; border-bottom: 1px solid #bbb; }
table.figures th:first-child, table.figures td:first-child { text-align: left; }
table.figures tbody th { font-weight: normal; background: none; border-bottom: 1px solid #e4e4e4; }
table.figures .ci { color: #777; white-space: nowrap; display: inline-block; }
table.figures.wide { font-size: 0.68em; } table.figures.wide .ci { white-space: normal; display: inline; }
table.figures td:last-child, table.figures td:nth-last-child(2) { text-align: left; overflow-wrap: anywhere; }
p.figures { margin: 0.3em 0; }
h2 + p.figures { font-weight: 600; } /* the answer (or the summary) first */
figure.chart { margin: 1.2em 0; overflow-x: auto; } figure.chart svg { max-width: 100%; height: auto; }
table.settings { border-collapse: collapse; font-size: 0.85em; } table.settings td { padding: 2px 10px 2px 0; vertical-align: top; }
table.settings td.path { font-family: monospace; } table.settings td.source { color: #777; }
.meta { color: #666; font-size: 0.9em; }
code { background: #f2f2f2; padding: 0 3px; }
`;

/** The text width of a <pre> in the page's 1000 px column, less its padding. */
const PRE_WIDTH_PX = 940;

/** An SVG from vega, made safe to inline: no XML prolog, and a role for screen readers. */
function inlineSvg(svg: string, title: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '').replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(title)}" `);
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading': {
      const l = b.level ?? 2;
      return `<h${l}>${escapeHtml(b.text)}</h${l}>`;
    }
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'html':
      return b.html;
    case 'pre': {
      // A wide table in a <pre> is set smaller to fit the page (down to 9 px); beyond, it wraps.
      const longest = Math.max(0, ...b.text.split('\n').map((l) => [...l].length));
      const px = Math.max(9, Math.min(13, Math.floor(PRE_WIDTH_PX / (0.61 * longest))));
      const size = longest > 0 && px < 13 ? ` style="font-size: ${px}px"` : '';
      return `${b.caption ? `<p class="meta">${escapeHtml(b.caption)}</p>` : ''}<pre${size}>${escapeHtml(b.text)}</pre>`;
    }
    case 'answer':
      return `<p class="answer">${escapeHtml(b.text)}</p>`;
    case 'warnings':
      return b.lines.length === 0
        ? '<div class="warnings"><p><strong>Warnings:</strong> none (no setting the server ignores, and none that contradict each other in ways capsim checks).</p></div>'
        : `<div class="warnings"><p><strong>Warnings</strong> (the model as written; capsim explain MODEL lists them too):</p><ul>${b.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></div>`;
    case 'command':
      return `<p class="meta">command</p><pre class="command">${escapeHtml(b.text)}</pre>`;
    case 'doc':
      return docHtml(b.doc);
    case 'chart':
      return `<figure class="chart" id="chart-${escapeHtml(b.id)}" data-chart="${escapeHtml(b.id)}">${inlineSvg(b.svg, b.title)}</figure>`;
    case 'settings': {
      const rows = b.values.map(
        (v) => `<tr><td class="path">${escapeHtml(v.path)}</td><td>${escapeHtml(v.text)}</td><td class="source">${escapeHtml(v.source)}</td></tr>`,
      );
      return `<table class="settings"><tbody>${rows.join('')}</tbody></table>`;
    }
  }
}

/** A figure cell: "12.3 [10.1, 14.6]" keeps its interval, greyed, on one line. */
function cell(text: string): string {
  const m = /^(.*?)\s*(\[[^\]]*\].*)$/.exec(text);
  return m && m[1] ? `${escapeHtml(m[1])} <span class="ci">${escapeHtml(m[2]!)}</span>` : escapeHtml(text);
}

function docHtml(doc: Doc): string {
  return doc
    .map((p) => {
      if (typeof p === 'string') return p.trim() ? `<p class="figures">${escapeHtml(p.trim())}</p>` : '';
      const [head, ...rows] = p.table;
      const th = (head ?? []).map((c) => `<th scope="col">${escapeHtml(c.trim())}</th>`).join('');
      const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c.trim())}</th>` : `<td>${cell(c)}</td>`)).join('')}</tr>`).join('');
      // Many columns of figures with intervals (size with its guards and candidates): smaller, and
      // an interval may wrap, so that the table fits the page.
      const wide = (head ?? []).length > 8 ? ' wide' : '';
      return `<div class="figures"><table class="figures${wide}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
    })
    .filter(Boolean)
    .join('\n');
}

export function htmlPage(title: string, subtitle: string, blocks: readonly Block[]): string {
  return [
    ...documentStart(title, STYLE, subtitle),
    ...blocks.map(block),
    '</body></html>',
    '',
  ].join('\n');
}

/** The settings worth showing: what the file or --set chose (capsim's defaults are left out). */
export function settingsThatMatter(values: readonly ExplainValue[]): ExplainValue[] {
  return values.filter((v) => v.origin.kind !== 'default');
}
