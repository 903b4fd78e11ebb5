// A notebook's results: NAME.md (each block followed by its output, charts as SVG files in
// NAME.files/) and NAME.html (self-contained: prose rendered, charts inlined).
import { marked } from 'marked';
import path from 'node:path';
import { writeFileAtomic } from '../experiment/files.js';
import { escapeHtml } from '../report/html/escape.js';
import { htmlPage, type Block } from '../report/html/page.js';
import type { NotebookRun } from './execute.js';

const fence = (lang: string, text: string) => {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}${lang}\n${text}\n${ticks}`;
};

/** A page block's link, relative to the notebook's output directory. */
const pageHref = (file: string, dir: string) => path.relative(dir, file).split(path.sep).join('/');

/** What a notebook found, block by block, and the warnings its models raised: the answers come first. */
export function notebookAnswers(nb: NotebookRun): { answers: { line: number; command: string; answer: string }[]; warnings: string[] } {
  const answers: { line: number; command: string; answer: string }[] = [];
  const warnings = new Set<string>();
  for (const s of nb.segments) {
    if (s.kind !== 'block') continue;
    if (s.answer) answers.push({ line: s.line, command: s.command.split('\n')[0]!.replace(/\s*\\$/, ''), answer: s.answer });
    for (const w of s.warnings ?? []) warnings.add(w);
  }
  return { answers, warnings: [...warnings] };
}

function answersMarkdown(nb: NotebookRun): string {
  const { answers, warnings } = notebookAnswers(nb);
  if (answers.length === 0 && warnings.length === 0) return '';
  const lines = ['> **Answers** (block by block, as this notebook ran)', '>'];
  for (const a of answers) lines.push(`> - line ${a.line}, \`${a.command}\`: ${a.answer}`);
  if (warnings.length) lines.push('>', '> **Warnings**', '>', ...warnings.map((w) => `> - ${w}`));
  return lines.join('\n');
}

export function notebookMarkdown(nb: NotebookRun, chartDir: string, dir = '.'): string {
  const parts: string[] = [];
  let answered = false;
  for (const s of nb.segments) {
    if (s.kind === 'prose') {
      parts.push(s.text);
      // After the title: the answers, before any block.
      if (!answered && /^#\s+/m.test(s.text)) {
        const a = answersMarkdown(nb);
        if (a) parts.push('', a, '');
        answered = true;
      }
      continue;
    }
    if (!answered) {
      const a = answersMarkdown(nb);
      if (a) parts.push(a, '');
      answered = true;
    }
    parts.push(fence('capsim', s.source));
    if (s.output) parts.push('', fence('text', s.output));
    for (const c of s.charts) parts.push('', `![${c.chart.title}](${chartDir}/${chartFile(s.line, c.chart.id)})`);
    if (s.page) parts.push('', `[What-if page: ${s.page.model}](${pageHref(s.page.file, dir)}) (opens offline; the simulator runs in it)`);
    parts.push('');
  }
  return `${parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export function chartFile(line: number, id: string): string {
  return `line-${line}-${id}.svg`;
}

export function notebookHtml(nb: NotebookRun, dir = '.'): string {
  const { answers, warnings } = notebookAnswers(nb);
  const blocks: Block[] = [];
  if (answers.length > 0) {
    blocks.push({ kind: 'heading', text: 'Answers' });
    const items = answers.map((a) => `<li><a href="#block-${a.line}">line ${a.line}</a>, <code>${escapeHtml(a.command)}</code>: <span class="answer">${escapeHtml(a.answer)}</span></li>`);
    blocks.push({ kind: 'html', html: `<ul class="answers">${items.join('')}</ul>` });
  }
  blocks.push({ kind: 'warnings', lines: warnings });
  let title = nb.name;
  for (const s of nb.segments) {
    if (s.kind === 'prose') {
      let text = s.text;
      // The notebook's first heading is the page's title.
      const m = /^#\s+(.+)$/m.exec(text);
      if (m && title === nb.name) {
        title = m[1]!.trim();
        text = text.replace(m[0], '');
      }
      blocks.push({ kind: 'html', html: marked.parse(text, { async: false, gfm: true }) });
      continue;
    }
    blocks.push({ kind: 'html', html: `<pre class="command" id="block-${s.line}">${escapeHtml(`capsim ${s.command}`.replace(/^capsim capsim /, 'capsim '))}</pre>` });
    if (s.output) blocks.push({ kind: 'pre', text: s.output });
    for (const c of s.charts) blocks.push({ kind: 'chart', id: `${s.line}-${c.chart.id}`, title: c.chart.title, svg: c.svg });
    if (s.page) {
      const href = escapeHtml(pageHref(s.page.file, dir));
      blocks.push({ kind: 'html', html: `<p><a class="page-link" href="${href}">What-if page: ${escapeHtml(s.page.model)}</a> (opens offline; the simulator runs in it)</p>` });
    }
  }
  return htmlPage(title, `executed from ${nb.file}`, blocks);
}

/**
 * Write DIR/NAME.md, DIR/NAME.files/*.svg and DIR/NAME.html, each atomically. Links to pages are
 * made relative to `finalDir`, where the notebook will be read (DIR may be a staging directory).
 */
export function writeNotebook(nb: NotebookRun, dir: string, finalDir = dir): { md: string; html: string } {
  const filesDir = `${nb.name}.files`;
  for (const s of nb.segments) {
    if (s.kind !== 'block') continue;
    for (const c of s.charts) writeFileAtomic(path.join(dir, filesDir, chartFile(s.line, c.chart.id)), c.svg);
  }
  const md = path.join(dir, `${nb.name}.md`);
  const html = path.join(dir, `${nb.name}.html`);
  writeFileAtomic(md, notebookMarkdown(nb, filesDir, finalDir));
  writeFileAtomic(html, notebookHtml(nb, finalDir));
  return { md, html };
}
