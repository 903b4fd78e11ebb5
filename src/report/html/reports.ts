// DIR/report.html for `capsim run`, `sweep` and `size`: the model, the settings that matter, the
// figures with their intervals (the same tables the command prints), and the charts.
import type { RunResult } from '../../experiment/run-experiment.js';
import type { SweepResult } from '../../experiment/sweep.js';
import type { TimelineData } from '../../model/timeline.js';
import { runCharts, sizeCharts, sweepCharts } from '../charts/for-results.js';
import { renderSvg } from '../charts/render.js';
import type { SizeDoc } from '../charts/size-pareto.js';
import type { Chart } from '../charts/spec.js';
import type { ExplainValue } from '../explain.js';
import { htmlPage, settingsThatMatter, type Block } from './page.js';

export async function chartBlocks(charts: readonly Chart[]): Promise<Block[]> {
  const out: Block[] = [];
  for (const c of charts) out.push({ kind: 'chart', id: c.id, title: c.title, svg: await renderSvg(c.spec) });
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
  table: string;
  settings: readonly ExplainValue[];
  timeline?: TimelineData;
}

export async function runReportHtml(i: RunReportInput): Promise<string> {
  const r = i.result;
  return htmlPage(`capsim run: ${r.model}`, `${i.file}; ${r.replications} replications, seed ${r.seed}; intervals are 95%`, [
    { kind: 'pre', text: i.command, caption: 'command' },
    { kind: 'heading', text: 'Charts' },
    ...(await chartBlocks(runCharts(r, i.timeline))),
    { kind: 'heading', text: 'Figures' },
    { kind: 'pre', text: i.table },
    ...settingsBlocks(i.settings),
  ]);
}

export interface SweepReportInput {
  command: string;
  result: SweepResult;
  table: string;
  settings: readonly ExplainValue[];
}

export async function sweepReportHtml(i: SweepReportInput): Promise<string> {
  const r = i.result;
  return htmlPage(`capsim sweep: ${r.model}`, `${r.file}; ${r.points.length} points × ${r.replications} replications, seed ${r.seed}; intervals are 95%`, [
    { kind: 'pre', text: i.command, caption: 'command' },
    { kind: 'heading', text: 'Charts' },
    ...(await chartBlocks(sweepCharts(r))),
    { kind: 'heading', text: 'Figures' },
    { kind: 'pre', text: i.table },
    ...settingsBlocks(i.settings),
  ]);
}

export interface SizeReportInput extends SweepReportInput {
  size: SizeDoc & { summary: string };
}

export async function sizeReportHtml(i: SizeReportInput): Promise<string> {
  const r = i.result;
  return htmlPage(`capsim size: ${r.model}`, `${r.file}; ${r.points.length} points, seed ${r.seed}; intervals are 95%`, [
    { kind: 'pre', text: i.command, caption: 'command' },
    { kind: 'heading', text: 'Answer' },
    { kind: 'paragraph', text: i.size.summary },
    { kind: 'heading', text: 'Charts' },
    ...(await chartBlocks(sizeCharts(i.size, r))),
    { kind: 'heading', text: 'Figures' },
    { kind: 'pre', text: i.table },
    ...settingsBlocks(i.settings),
  ]);
}
