/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The what-if page: inputs for the keys a planner changes; each change re-runs the model at once
// in Web Workers (engine-worker.ts), replications stream in, and the figures, the answer and the
// charts update with their 95% intervals as they narrow. Everything computed here is computed by
// the code `capsim run` uses (parse-model, runReplication, summarize, the chart specs), so the
// final figures are the CLI's. Bundled by esbuild into dist/page-app.js.
import { fleetCost, type FleetCost } from '../experiment/prices.js';
import type { ReplicationResult } from '../experiment/replication.js';
import { summarize, type RunResult } from '../experiment/summarize.js';
import { defaultTimelineInterval, type TimelineData } from '../model/timeline.js';
import { runCharts, runDetailCharts, runOrigin } from '../report/charts/for-results.js';
import { duration } from '../report/format.js';
import { explainValues } from '../report/explain.js';
import { settingsThatMatter } from '../report/html/page.js';
import type { Model } from '../scenario/model-types.js';
import { parseModelWithProvenance } from '../scenario/provenance.js';
import { modelWarnings } from '../scenario/warnings.js';
import { runCommand } from './command-line.js';
import { CONFIG_ID, ENGINE_ID, type PageConfig } from './config.js';
import { setsFor, type Control } from './controls.js';
import type { EngineReply, EngineTask } from './engine-worker.js';
import { answerLine, pageFigures } from './figures.js';
import { modelYaml } from './model-yaml.js';
import { drawChart } from './render-chart.js';
import { hashFor, readHash } from './url-state.js';

const cfg = JSON.parse(document.getElementById(CONFIG_ID)!.textContent!) as PageConfig;
const engineUrl = URL.createObjectURL(new Blob([document.getElementById(ENGINE_ID)!.textContent!], { type: 'text/javascript' }));

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

type Attrs = Record<string, string | number | boolean | undefined>;
function el(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : String(v));
  e.append(...children);
  return e;
}

// ---- inputs and the URL -----------------------------------------------------------------------

const values = new Map<string, string>();

function resetValues(): string[] {
  values.clear();
  for (const c of cfg.controls) values.set(c.path, c.initial);
  const h = readHash(location.hash, cfg.controls);
  for (const [k, v] of h.values) values.set(k, v);
  return h.ignored;
}

const GROUPS: Record<Control['group'], string> = {
  fleet: 'Fleet',
  recycling: 'Recycling',
  connections: 'Connections and database',
  traffic: 'Traffic',
  varied: 'Varied keys (--vary)',
  simulation: 'Simulation',
};

const numberOf = (c: Control, text: string) => text.slice(0, text.length - (c.unit ?? '').length);

function inputFor(c: Control): HTMLElement {
  const id = `in-${c.path}`;
  let input: HTMLElement;
  if (c.kind === 'select') {
    input = el('select', { id, name: c.path }, ...c.options!.map((o) => el('option', { value: o.text }, o.label)));
  } else {
    input = el('input', { id, name: c.path, type: c.kind, min: c.min, max: c.max, step: c.step });
  }
  const out = el('output', { for: id, class: 'value' });
  return el('div', { class: 'control' }, el('label', { for: id }, c.label), input, out, el('span', { class: 'path' }, c.path));
}

function buildControls(): void {
  const form = $('controls');
  for (const g of Object.keys(GROUPS) as Control['group'][]) {
    const cs = cfg.controls.filter((c) => c.group === g);
    if (cs.length > 0) form.append(el('fieldset', {}, el('legend', {}, GROUPS[g]), ...cs.map(inputFor)));
  }
  form.addEventListener('input', (e) => {
    const t = e.target as HTMLInputElement | HTMLSelectElement;
    const c = cfg.controls.find((x) => x.path === t.name);
    if (!c) return;
    values.set(c.path, c.kind === 'select' ? t.value : `${t.value}${c.unit ?? ''}`);
    showValues();
    history.replaceState(null, '', hashFor(cfg.controls, values) || location.pathname + location.search);
    scheduleRun();
  });
}

/** Put the values into the inputs (after a load or a new hash). */
function showValues(): void {
  for (const c of cfg.controls) {
    const input = document.getElementsByName(c.path)[0] as HTMLInputElement | HTMLSelectElement;
    const v = values.get(c.path)!;
    const want = c.kind === 'select' ? v : numberOf(c, v);
    if (input.value !== want) input.value = want;
    const out = input.parentElement!.querySelector('output')!;
    out.textContent = v === c.initial ? v : `${v} (model: ${c.initial})`;
    input.parentElement!.classList.toggle('changed', v !== c.initial);
  }
}

// ---- running ------------------------------------------------------------------------------------

let generation = 0;
let workers: Worker[] = [];
let timer: number | undefined;

function scheduleRun(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = window.setTimeout(run, 120);
}

function stopWorkers(): void {
  for (const w of workers) w.terminate();
  workers = [];
}

interface Run {
  model: Model;
  sets: string[];
  cost: FleetCost | null;
  reps: (ReplicationResult | undefined)[];
  done: number;
  timeline: TimelineData | undefined;
  timelineDone: boolean;
  result: RunResult | null;
}

function run(): void {
  timer = undefined;
  const my = ++generation;
  stopWorkers();
  const sets = [...cfg.sets, ...setsFor(cfg.controls, values)];
  $('command').textContent = runCommand(cfg.file, sets);
  const yaml = modelYaml(cfg.text, cfg.file, sets);
  const dl = $<HTMLAnchorElement>('download-model');
  dl.href = `data:text/yaml;charset=utf-8,${encodeURIComponent(yaml)}`;
  let resolved;
  try {
    resolved = parseModelWithProvenance(cfg.text, cfg.file, sets);
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    return;
  }
  $('error').hidden = true;
  const { model, provenance } = resolved;
  dl.download = `${model.name}.yaml`;
  const cost = cfg.prices ? fleetCost(model, cfg.prices, cfg.arch) : null;
  const warnings = [...modelWarnings(model, provenance), ...(cost?.warning ? [cost.warning] : [])];
  $('warnings').replaceChildren(...warnings.map((w) => el('li', {}, `warning: ${w}`)));
  const settings = settingsThatMatter(explainValues(model, provenance, cfg.file));
  $('settings').replaceChildren(
    ...settings.map((v) => el('tr', {}, el('td', { class: 'path' }, v.path), el('td', {}, v.text), el('td', { class: 'source' }, v.source))),
  );
  const R = model.simulation.replications;
  const state: Run = { model, sets, cost, reps: new Array(R), done: 0, timeline: undefined, timelineDone: false, result: null };
  const tasks: EngineTask[] = [];
  for (let r = 0; r < R; r++) tasks.push({ model, replication: r });
  // Replication 0 again with its trace, after the figures (as `capsim run --timeline` does).
  tasks.push({ model, replication: 0, timelineInterval: defaultTimelineInterval(model.simulation.duration) });
  let next = 0;
  const n = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, tasks.length, 8));
  show(state);
  for (let i = 0; i < n; i++) {
    const w = new Worker(engineUrl);
    workers.push(w);
    const give = () => {
      if (next < tasks.length) w.postMessage(tasks[next++]);
    };
    w.onmessage = (e: MessageEvent<EngineReply>) => {
      if (my !== generation) return;
      const m = e.data;
      if ('error' in m) {
        stopWorkers();
        showError(`replication ${m.replication} failed: ${m.error}`);
        return;
      }
      if (m.timeline) {
        state.timeline = m.result.timeline;
        state.timelineDone = true;
      } else {
        state.reps[m.replication] = m.result;
        state.done++;
      }
      give();
      show(state);
    };
    w.onerror = (e) => {
      if (my !== generation) return;
      stopWorkers();
      showError(`the engine failed: ${e.message}`);
    };
    give();
  }
}

function showError(message: string): void {
  const e = $('error');
  e.textContent = message;
  e.hidden = false;
  for (const x of document.querySelectorAll('[data-state]')) x.setAttribute('data-state', 'error');
}

// ---- showing ------------------------------------------------------------------------------------

let lastCharts = 0;
let chartTimer: number | undefined;

function show(s: Run): void {
  const R = s.reps.length;
  const finished = s.done === R;
  const state = finished ? 'done' : 'running';
  $('progress').textContent = finished ? `${R} replications × ${duration(s.model.simulation.duration)} simulated, seed ${s.model.simulation.seed}` : `running: ${s.done} of ${R} replications`;
  const reps = s.reps.filter((r): r is ReplicationResult => r !== undefined);
  if (reps.length === 0) {
    s.result = null;
    $('answer').textContent = `Running ${R} replications…`;
    $('answer').dataset['state'] = 'running';
    for (const f of document.querySelectorAll('#figures [data-metric], #more-figures [data-metric]')) {
      f.setAttribute('data-state', 'running');
      f.querySelector('.text')!.textContent = '…';
    }
    for (const c of document.querySelectorAll('#charts figure')) c.setAttribute('data-state', 'running');
    $('result-json').textContent = '';
    $('result-json').dataset['state'] = 'running';
    $<HTMLAnchorElement>('download-json').removeAttribute('href');
    return;
  }
  const result = summarize(s.model, reps);
  s.result = result;
  const answer = $('answer');
  answer.textContent = answerLine(result, s.done, R);
  answer.dataset['state'] = state;
  const figs = pageFigures(result, reps, s.cost, cfg.prices?.currency);
  $('figures').replaceChildren(
    ...figs.filter((f) => f.main).map((f) => el('div', { class: 'figure', 'data-metric': f.metric, 'data-state': state }, el('div', { class: 'label' }, f.label), el('div', { class: 'text' }, f.text), el('div', { class: 'unit' }, f.unit))),
  );
  $('more-figures').replaceChildren(
    ...figs.filter((f) => !f.main).map((f) => el('tr', { 'data-metric': f.metric, 'data-state': state }, el('td', {}, f.label), el('td', { class: 'text' }, f.text), el('td', { class: 'unit' }, f.unit))),
  );
  const json = $('result-json');
  if (finished) {
    const text = `${JSON.stringify(result, null, 2)}\n`;
    json.textContent = text;
    $<HTMLAnchorElement>('download-json').href = `data:application/json;charset=utf-8,${encodeURIComponent(text)}`;
    $<HTMLAnchorElement>('download-json').download = `${s.model.name}.json`;
  } else {
    json.textContent = `(running: ${s.done} of ${R} replications)`;
    $<HTMLAnchorElement>('download-json').removeAttribute('href');
  }
  json.dataset['state'] = state;
  // Charts: at most twice a second while running; always when something finishes.
  const now = performance.now();
  if (chartTimer !== undefined) clearTimeout(chartTimer);
  if (finished || s.timelineDone || now - lastCharts > 500) requestCharts(s);
  else chartTimer = window.setTimeout(() => requestCharts(s), 500);
}

// One drawing at a time: a request made while one is under way is drawn after it (the latest only).
let drawing = false;
let pending: Run | null = null;

function requestCharts(s: Run): void {
  chartTimer = undefined;
  pending = s;
  if (drawing) return;
  drawing = true;
  void (async () => {
    try {
      while (pending) {
        const next = pending;
        pending = null;
        await drawCharts(next);
      }
    } finally {
      drawing = false;
    }
  })();
}

async function drawCharts(s: Run): Promise<void> {
  lastCharts = performance.now();
  const my = generation;
  if (!s.result) return;
  const finished = s.done === s.reps.length;
  const origin = runOrigin(s.result, cfg.file);
  const charts = [...runCharts(s.result, origin), ...(s.timeline ? runDetailCharts(origin, s.timeline) : [])];
  const box = $('charts');
  for (const c of charts) {
    if (my !== generation) return;
    let fig = box.querySelector<HTMLElement>(`figure[data-chart="${c.id}"]`);
    if (!fig) {
      fig = el('figure', { class: 'chart', 'data-chart': c.id }, el('div', { class: 'view' }));
      box.append(fig);
    }
    // The timeline (and its worst minute) is drawn once, when its replication is done; the others follow the figures.
    const isTimeline = c.id === 'timeline' || c.id === 'timeline-zoom';
    if (isTimeline && fig.dataset['state'] === 'done' && fig.dataset['generation'] === String(my)) continue;
    await drawChart(fig.querySelector<HTMLElement>('.view')!, c.spec);
    fig.dataset['generation'] = String(my);
    fig.dataset['state'] = isTimeline ? (s.timelineDone ? 'done' : 'running') : finished ? 'done' : 'running';
  }
  if (!s.timelineDone) {
    let fig = box.querySelector<HTMLElement>('figure[data-chart="timeline"]');
    if (!fig) {
      fig = el('figure', { class: 'chart', 'data-chart': 'timeline' }, el('div', { class: 'view' }, 'timeline of replication 0: running…'));
      box.prepend(fig);
    }
    fig.dataset['state'] = 'running';
  }
}

// ---- actions ------------------------------------------------------------------------------------

async function copyCommand(): Promise<void> {
  const text = $('command').textContent ?? '';
  const status = $('copy-status');
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = 'copied';
  } catch {
    // file:// pages may not get the clipboard: select the text for the user to copy.
    const range = document.createRange();
    range.selectNodeContents($('command'));
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    status.textContent = 'selected: press Ctrl+C (or ⌘C) to copy';
  }
}

// ---- start --------------------------------------------------------------------------------------

function start(): void {
  buildControls();
  const ignored = resetValues();
  if (ignored.length > 0) $('hash-note').textContent = `Ignored in the link: ${ignored.join('; ')}`;
  showValues();
  $('copy-command').addEventListener('click', () => void copyCommand());
  window.addEventListener('hashchange', () => {
    const bad = resetValues();
    $('hash-note').textContent = bad.length > 0 ? `Ignored in the link: ${bad.join('; ')}` : '';
    showValues();
    run();
  });
  run();
}

start();
