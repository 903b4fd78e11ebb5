// DIR/report.html for `capsim run`, `sweep` and `size`: the command, then the answer (run: the
// one-line answer; sweep: the points that fail least and most; size: the verdict in words) and
// the model's warnings, then the charts (each answering one question), the figures with their
// intervals as HTML tables (the same the command prints), the detail (a run's timeline) and the
// settings that matter. The answer comes before any chart.
import type { RunResult } from '../../experiment/run-experiment.js';
import type { SweepResult } from '../../experiment/sweep.js';
import type { TimelineData } from '../../model/timeline.js';
import { runCharts, runDetailCharts, runOrigin, sizeCharts, sweepCharts } from '../charts/for-results.js';
import { answerLine } from '../answer-line.js';
import { sweepAnswer } from '../sweep-answer.js';
import path from 'node:path';
import { writeFileAtomic } from '../../experiment/files.js';
import { renderPng, renderSvg } from '../charts/render.js';
import type { SizeDoc } from '../charts/size-pareto.js';
import type { Chart } from '../charts/spec.js';
import type { Doc } from '../doc.js';
import type { ExplainValue } from '../explain.js';
import { htmlPage, settingsThatMatter, type Block } from './page.js';

/**
 * The charts as report blocks; with `imagesDir`, each is also written there as ID.svg and ID.png
 * (for slides and documents), atomically like every output.
 */
export async function chartBlocks(charts: readonly Chart[], imagesDir?: string): Promise<Block[]> {
  const out: Block[] = [];
  for (const c of charts) {
    const svg = await renderSvg(c.spec);
    out.push({ kind: 'chart', id: c.id, title: c.title, svg });
    if (imagesDir !== undefined) {
      writeFileAtomic(path.join(imagesDir, `${c.id}.svg`), svg);
      writeFileAtomic(path.join(imagesDir, `${c.id}.png`), await renderPng(svg));
    }
  }
  return out;
}

function settingsBlocks(values: readonly ExplainValue[]): Block[] {
  return [
    { kind: 'heading', text: 'Settings' },
    { kind: 'paragraph', text: 'The values the model file or the command line chose (capsim explain MODEL lists every value with its source).' },
    { kind: 'settings', values: settingsThatMatter(values) },
  ];
}

export interface RunReportInput {
  file: string;
  command: string;
  result: RunResult;
  /** The figures the command prints, as parts (run-table.ts runTableDoc). */
  figures: Doc;
  settings: readonly ExplainValue[];
  /** The model's warnings (src/scenario/warnings.ts), as the command prints them. */
  warnings: readonly string[];
  timeline?: TimelineData;
  /** Also write every chart there as SVG and PNG. */
  imagesDir?: string;
}

export async function runReportHtml(i: RunReportInput): Promise<string> {
  const r = i.result;
  return htmlPage(`capsim run: ${r.model}`, `${i.file}; ${r.replications} replications, seed ${r.seed}; intervals are 95%`, [
    { kind: 'command', text: i.command },
    { kind: 'heading', text: 'Answer' },
    { kind: 'answer', text: answerLine(r) },
    { kind: 'warnings', lines: i.warnings },
    { kind: 'heading', text: 'Charts' },
    ...(await chartBlocks(runCharts(r, runOrigin(r, i.file)), i.imagesDir)),
    { kind: 'heading', text: 'Figures' },
    { kind: 'doc', doc: i.figures },
    ...(i.timeline ? [{ kind: 'heading' as const, text: 'Timeline' }, ...(await chartBlocks(runDetailCharts(runOrigin(r, i.file), i.timeline), i.imagesDir))] : []),
    ...settingsBlocks(i.settings),
  ]);
}

export interface SweepReportInput {
  command: string;
  result: SweepResult;
  /** The figures the command prints, as parts (sweep-table.ts sweepTableDoc). */
  figures: Doc;
  settings: readonly ExplainValue[];
  /** The points' model and cost warnings, as the command prints them. */
  warnings: readonly string[];
  /** Also write every chart there as SVG and PNG. */
  imagesDir?: string;
}

export async function sweepReportHtml(i: SweepReportInput): Promise<string> {
  const r = i.result;
  return htmlPage(`capsim sweep: ${r.model}`, `${r.file}; ${r.points.length} points × ${r.replications} replications, seed ${r.seed}; intervals are 95%`, [
    { kind: 'command', text: i.command },
    { kind: 'heading', text: 'Answer' },
    { kind: 'answer', text: sweepAnswer(r) },
    { kind: 'warnings', lines: i.warnings },
    { kind: 'heading', text: 'Charts' },
    ...(await chartBlocks(sweepCharts(r), i.imagesDir)),
    { kind: 'heading', text: 'Figures' },
    { kind: 'doc', doc: i.figures },
    ...settingsBlocks(i.settings),
  ]);
}

export interface SizeReportInput extends SweepReportInput {
  size: SizeDoc & { summary: string };
}

export async function sizeReportHtml(i: SizeReportInput): Promise<string> {
  const r = i.result;
  return htmlPage(`capsim size: ${r.model}`, `${r.file}; ${r.points.length} points, seed ${r.seed}; intervals are 95%`, [
    { kind: 'command', text: i.command },
    { kind: 'heading', text: 'Answer' },
    { kind: 'answer', text: i.size.summary },
    { kind: 'warnings', lines: i.warnings },
    { kind: 'heading', text: 'Charts' },
    ...(await chartBlocks(sizeCharts(i.size, r), i.imagesDir)),
    { kind: 'heading', text: 'Figures' },
    { kind: 'doc', doc: i.figures },
    ...settingsBlocks(i.settings),
  ]);
}
