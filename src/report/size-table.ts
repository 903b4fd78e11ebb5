// What `capsim size` prints: every point's verdict on every SLO, the cheapest point that meets
// them all, in words, and the JSON for tools (best, pareto, points).
import type { Estimate } from '../experiment/metrics.js';
import type { Slo, SloVerdict } from '../experiment/slo.js';
import { marginText, type LoadMargin } from '../experiment/load-margin.js';
import { costKey, type PointEval, type SizeOutcome } from '../experiment/size.js';
import type { Sweep, SweepResult } from '../experiment/sweep.js';
import { docText, type Doc } from './doc.js';
import { duration, formatDecimal, num } from './format.js';
import { perHour, perMonth } from './money.js';
import { shortPaths } from './sweep-table.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const words = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const countWord = (n: number, one: string, many = `${one}s`) => `${n <= 10 ? words[n] : n} ${n === 1 ? one : many}`;

/** "4 containers × 8 workers", plus any other varied value: "(fleet.server.mode=gevent)". */
export function describePoint(e: PointEval, sweep: Sweep): string {
  const p = sweep.points[e.index]!;
  const others = Object.entries(p.texts).filter(([k]) => k !== 'fleet.containers' && k !== 'fleet.server.workers');
  const base = `${plural(e.containers, 'container')} × ${plural(e.workers, 'worker')}`;
  return others.length ? `${base} (${others.map(([k, v]) => `${k}=${v}`).join(', ')})` : base;
}

function value(v: SloVerdict, slo: Slo, x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (slo.metric.kind === 'rate' || slo.metric.kind === 'cpu' || slo.metric.kind === 'util') return `${num(x * 100, 3)}%`;
  return num(x);
}

export function estimateText(v: SloVerdict, slo: Slo, withUnit = true): string {
  const e: Estimate = v.estimate;
  if (!Number.isFinite(e.mean)) return '—';
  const unit = !withUnit ? '' : slo.metric.kind === 'latency' ? ' ms' : slo.metric.kind === 'per5min' ? ' per 5 min' : slo.metric.kind === 'kills' ? ' per hour' : '';
  if (e.lo === e.hi) return `${value(v, slo, e.mean)}${unit}`;
  return `${value(v, slo, e.mean)} [${value(v, slo, e.lo)}, ${value(v, slo, e.hi)}]${unit}`;
}

const mark = (v: SloVerdict) => (v.meets ? (v.certain ? '✓' : '✓?') : v.certain ? '✗' : '✗?');
const pct = (p: number) => `${p >= 0.995 ? '>99' : p <= 0.005 ? '<1' : Math.round(p * 100)}%`;

function verdictWord(e: PointEval): string {
  if (e.certain) return e.meets ? 'meets' : 'fails';
  return `${e.meets ? 'meets' : 'fails'}? P≈${pct(e.pMeets)}`;
}

function misses(e: PointEval, slos: readonly Slo[]): string {
  const failing = e.verdicts.map((v, i) => ({ v, slo: slos[i]! })).filter(({ v }) => !v.meets);
  const list = failing.length > 0 ? failing : e.verdicts.map((v, i) => ({ v, slo: slos[i]! })).sort((a, b) => a.v.pMeets - b.v.pMeets).slice(0, 1);
  return list.map(({ v, slo }) => `${slo.text}${slo.guard ? ' (guard)' : ''} (${estimateText(v, slo)})`).join(' and ');
}

/** "38% over its limit", "23 times its limit", "12% under its limit": an excess in words. */
export function excessText(x: number): string {
  if (x === Infinity) return 'any amount (a limit of none, or nothing measured)';
  if (x >= 1) return `${num(1 + x, 3)} times its limit`;
  const p = Math.abs(x * 100);
  const t = p >= 10 ? formatDecimal(Math.round(p), 3) : num(p, 2);
  return x > 0 ? `${t}% over its limit` : x < 0 ? `${t}% under its limit` : 'exactly its limit';
}

/** "+38%", "−12%", "∞": the excess column of the table. */
function excessCell(x: number): string {
  if (x === Infinity) return '∞';
  if (x >= 1) return `×${num(1 + x, 3)}`;
  const p = x * 100;
  const t = Math.abs(p) >= 10 ? formatDecimal(Math.round(Math.abs(p)), 3) : num(Math.abs(p), 2);
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${t}%`;
}

function missesExcept(e: PointEval, slos: readonly Slo[], skip: number): string {
  return e.verdicts
    .map((v, i) => ({ v, slo: slos[i]!, i }))
    .filter(({ v, i }) => !v.meets && i !== skip)
    .map(({ v, slo, i }) => `${slo.text}${slo.guard ? ' (guard)' : ''} by ${excessText(e.excess[i]!)} (${estimateText(v, slo)})`)
    .join(' and ');
}

/** "5xx-rate<=1%, cpu<=90%": the implicit guards in force. */
function guardList(slos: readonly Slo[]): string {
  return slos
    .filter((s) => s.guard)
    .map((s) => s.text)
    .join(', ');
}

/** Points whose user SLOs all hold but a guard does not: overloaded, so excluded. */
function excludedByGuard(o: SizeOutcome, slos: readonly Slo[]): PointEval[] {
  return o.evals.filter((e) => e.verdicts.every((v, i) => slos[i]!.guard || v.meets) && e.verdicts.some((v, i) => slos[i]!.guard && !v.meets));
}

/** "61% [60, 62]": the mean busy fraction of a point's worker processes. */
function utilText(e: PointEval): string {
  const u = e.util;
  if (!Number.isFinite(u.mean)) return '—';
  const p = (x: number) => num(x * 100, 2);
  return u.lo === u.hi ? `${p(u.mean)}%` : `${p(u.mean)}% [${p(u.lo)}, ${p(u.hi)}]`;
}

/** "holds +25%, breaks at +30%". */
function shortMargin(m: LoadMargin): string {
  if (m.holds === null) return 'margin unknown';
  return m.breaksAt === null ? `holds beyond +${m.holds}%` : `holds +${m.holds}%, breaks at +${m.breaksAt}%`;
}

/** "Today (the model as it stands), 4 containers × 2 workers at $0.39/h: fails 502/5min<=1 (…)". */
function todaySentence(o: SizeOutcome, sweep: Sweep, slos: readonly Slo[], currency: string): string | null {
  const t = o.today;
  if (!t) return null;
  const what = t.point !== null ? describePoint(t, sweep) : `${plural(t.containers, 'container')} × ${plural(t.workers, 'worker')}`;
  const verdict = t.meets ? `meets every SLO${t.certain ? '' : ` (P ≈ ${pct(t.pMeets)})`}` : `misses ${misses(t, slos)}`;
  let vs = '';
  if (o.best && o.best.index === t.point) vs = ': it is the answer';
  else if (o.best) {
    const d = o.best.costPerHour - t.costPerHour;
    vs = costKey(d) === 0 ? '; the answer costs the same' : `; the answer costs ${perHour(Math.abs(d), currency)} ${d < 0 ? 'less' : 'more'}`;
  }
  return `Today (the model as it stands), ${what} at ${perHour(t.costPerHour, currency)}: ${verdict}; worker processes ${utilText(t)} busy${vs}.`;
}

/** "Also tried, as the model's warnings name them: fleet.server.connectionClose=true." */
function fixesSentence(o: SizeOutcome, sweep: Sweep): string | null {
  if (o.fixes.length === 0) return null;
  const list = o.fixes.map((f) => `${f.path}=${f.value}`).join(', ');
  const b = o.best;
  const used = b ? o.fixes.filter((f) => sweep.points[b.index]!.texts[f.path] === f.value) : [];
  const tail = !b ? '' : used.length > 0 ? ` The answer uses ${used.map((f) => `${f.path}=${f.value}`).join(', ')}.` : ' The answer does not need them.';
  return `The grid also tried, as candidates, the fix${o.fixes.length === 1 ? '' : 'es'} the model's own warnings name: ${list} (--no-fixes to leave them out).${tail}`;
}

/** The answer in words. */
export function sizeSentence(o: SizeOutcome, sweep: Sweep, slos: readonly Slo[], currency = 'USD'): string {
  const lines: string[] = [];
  const tail = () => [todaySentence(o, sweep, slos, currency), fixesSentence(o, sweep)].filter((x): x is string => x !== null);
  const b = o.best;
  const cut = excludedByGuard(o, slos);
  const cheapestCut = [...cut].sort((x, y) => x.costPerHour - y.costPerHour || x.index - y.index)[0];
  if (!b) {
    if (cheapestCut) lines.push(excludedSentence(cut, cheapestCut, sweep, slos, currency));
    const closest = o.closest;
    lines.push(`No point in the grid meets every SLO (${slos.filter((s) => !s.guard).map((s) => s.text).join(', ')}${guardList(slos) ? `; guards ${guardList(slos)}` : ''}).`);
    if (closest) {
      const w = closest.worst;
      lines.push(
        `The closest (its largest excess over an SLO or guard is the smallest), ${describePoint(closest, sweep)} at ${perHour(closest.costPerHour, currency)}, ` +
          `misses ${slos[w]!.text}${slos[w]!.guard ? ' (guard)' : ''} by ${excessText(closest.excess[w]!)} (${estimateText(closest.verdicts[w]!, slos[w]!)})` +
          `${closest.verdicts.some((v, i) => i !== w && !v.meets) ? `, and ${missesExcept(closest, slos, w)}` : ''}.`,
      );
    }
    lines.push(...tail());
    return lines.join(' ');
  }
  let first = `${describePoint(b, sweep)}, ${perHour(b.costPerHour, currency)} (${perMonth(b.costPerHour, currency)}): the cheapest point that meets every SLO`;
  if (!b.certain) first += `, a close call: P(meets every SLO) ≈ ${pct(b.pMeets)} after ${plural(b.replications, 'replication')}`;
  first += `; worker processes ${utilText(b)} busy`;
  lines.push(`${first}.`);
  if (o.margin) lines.push(`It ${marginText(o.margin)}.`);
  if (o.tie.length > 1) {
    const others = o.tie.slice(1).map((t) => `${describePoint(o.evals[t.index]!, sweep)} ${shortMargin(t.margin)}`);
    lines.push(`${countWord(o.tie.length, 'point').replace(/^./, (c) => c.toUpperCase())} meet every SLO at this cost; the one with the most load margin wins (${others.join('; ')}).`);
  }
  const t = o.tradeoff;
  if (t) {
    const dc = t.containers - b.containers;
    const dw = b.workers - t.workers;
    const delta = t.costPerHour - b.costPerHour;
    const cost = delta > 0 ? `would cost ${perHour(delta, currency)} more (${perMonth(delta, currency)})` : `would cost ${perHour(-delta, currency)} less`;
    const outcome = t.meets
      ? `and also meets every SLO${t.certain ? '' : ` (P ≈ ${pct(t.pMeets)})`}`
      : `and would still miss ${misses(t, slos)}`;
    lines.push(`${countWord(dc, 'more container').replace(/^./, (c) => c.toUpperCase())} instead of ${dw} more worker${dw === 1 ? '' : 's'} (${describePoint(t, sweep)}) ${cost} ${outcome}.`);
  }
  const c = o.cheaper;
  if (c) lines.push(`The dearest cheaper point, ${describePoint(c, sweep)} at ${perHour(c.costPerHour, currency)}, misses ${misses(c, slos)}.`);
  if (cheapestCut && (!b || cheapestCut.costPerHour < b.costPerHour)) lines.push(excludedSentence(cut, cheapestCut, sweep, slos, currency));
  lines.push(...tail());
  return lines.join(' ');
}

function excludedSentence(cut: readonly PointEval[], cheapest: PointEval, sweep: Sweep, slos: readonly Slo[], currency: string): string {
  const failed = cheapest.verdicts
    .map((v, i) => ({ v, slo: slos[i]! }))
    .filter(({ v, slo }) => slo.guard && !v.meets)
    .map(({ v, slo }) => `${slo.text} (${estimateText(v, slo)})`)
    .join(' and ');
  return `${plural(cut.length, 'point')} met the SLOs asked for but failed a guard and ${cut.length === 1 ? 'was' : 'were'} excluded, the cheapest ${describePoint(cheapest, sweep)} at ${perHour(cheapest.costPerHour, currency)}: ${failed}.`;
}

export function sizeTable(o: SizeOutcome, sweep: Sweep, slos: readonly Slo[], r: SweepResult): string {
  return docText(sizeTableDoc(o, sweep, slos, r));
}

/** The same, as parts: report.html draws the table as HTML. */
export function sizeTableDoc(o: SizeOutcome, sweep: Sweep, slos: readonly Slo[], r: SweepResult): Doc {
  const paths = r.vary.map((v) => v.path);
  const heads = shortPaths(paths);
  const paretoSet = new Set(o.pareto.map((e) => e.index));
  const rows: string[][] = [[...heads, 'reps', 'cost', ...slos.map((s) => s.text + (s.metric.kind === 'latency' ? ' (ms)' : '')), 'verdict', 'largest excess']];
  for (const e of o.evals) {
    const p = sweep.points[e.index]!;
    rows.push([
      ...paths.map((k) => p.texts[k]!),
      String(e.replications),
      perHour(e.costPerHour, r.prices.currency),
      ...e.verdicts.map((v, i) => `${estimateText(v, slos[i]!, false)} ${mark(v)}`),
      // The marks go with the verdict, so that the table keeps to the page's width.
      [verdictWord(e), o.best?.index === e.index ? '← best' : '', o.closest?.index === e.index ? '← closest' : '', paretoSet.has(e.index) ? 'pareto' : ''].filter(Boolean).join(', '),
      `${excessCell(e.excess[e.worst]!)} ${slos[e.worst]!.text}`,
    ]);
  }
  const out: Doc = [
    `${r.model}: sizing against ${slos.map((s) => s.text).join(', ')}; ${plural(r.points.length, 'point')}, ` +
      `${r.replications} replications × ${duration(r.simulatedSeconds)} each (more for close points), seed ${r.seed}`,
    `cost: ${r.prices.table} (${r.prices.arch}, ${r.prices.date}); ✓/✗ the 95% interval is within/beyond the limit, ✓?/✗? it straddles the limit; ` +
      'largest excess: the estimate beyond its limit relative to the limit, for the SLO or guard it is worst on (− is a margin)',
    '',
    { table: rows },
  ];
  if (o.reruns.length > 0) {
    out.push('', `close points rerun: ${o.reruns.map((x) => `round ${x.round}: ${plural(x.points.length, 'point')} to ${[...new Set(x.replications)].join('/')} replications`).join('; ')}`);
  }
  const notes = [...new Set(r.points.map((p) => p.costNote).filter((n): n is string => n !== null))];
  if (notes.length > 0) out.push('', ...notes.map((n) => `note: ${n}`));
  if (o.margin && o.margin.levels.length > 0) {
    // How the load margin was found: every traffic level simulated, in the order run.
    const m = o.margin;
    out.push('', `load margin of the answer, by simulation (${m.scaled} scaled; each level ${plural(m.levels[0]!.replications, 'replication')}):`);
    out.push({ table: [['traffic', 'verdict', 'first SLO or guard missed'], ...m.levels.map((l) => [`+${l.percent}%`, l.meets ? 'meets' : 'fails', l.breaks ?? '—'])] });
  }
  const guards = guardList(slos);
  if (guards) out.push('', `guards (always applied, so that overload never "meets" an SLO; give the same metric as an --slo to change one): ${guards}`);
  out.push('', sizeSentence(o, sweep, slos, r.prices.currency));
  return out;
}

const figure = (e: Estimate) => {
  const n = (x: number) => (Number.isFinite(x) ? x : null);
  return { mean: n(e.mean), ci95: [n(e.lo), n(e.hi)] as [number | null, number | null] };
};

function pointJson(e: PointEval, sweep: Sweep, slos: readonly Slo[]) {
  return {
    point: e.index >= 0 ? sweep.points[e.index]!.values : null,
    costPerHour: e.costPerHour,
    containers: e.containers,
    workers: e.workers,
    replications: e.replications,
    meets: e.meets,
    certain: e.certain,
    pMeets: e.pMeets,
    metrics: Object.fromEntries(
      e.verdicts.map((v, i) => [slos[i]!.text, { ...figure(v.estimate), meets: v.meets, certain: v.certain, pMeets: v.pMeets }]),
    ),
    rate502: figure(e.rate502),
    rate5xx: figure(e.rate5xx),
    util: figure(e.util),
    // The distance to meeting every SLO: the largest relative excess (null: a limit of none missed, or nothing measured).
    largestExcess: { slo: slos[e.worst]!.text, excess: Number.isFinite(e.excess[e.worst]!) ? e.excess[e.worst]! : null },
  };
}

export function sizeJson(o: SizeOutcome, sweep: Sweep, slos: readonly Slo[], r: SweepResult): string {
  return `${JSON.stringify(
    {
      model: r.model,
      file: r.file,
      seed: r.seed,
      simulatedSeconds: r.simulatedSeconds,
      replications: r.replications,
      slos: slos.filter((s) => !s.guard).map((s) => s.text),
      guards: slos.filter((s) => s.guard).map((s) => s.text),
      prices: r.prices,
      best: o.best ? { ...pointJson(o.best, sweep, slos), loadMargin: o.margin ?? null } : null,
      // Points that tied with the best at its cost, each with its load margin (the best has the most).
      tie: o.tie.map((t) => ({ point: sweep.points[t.index]!.values, loadMargin: t.margin })),
      today: o.today ? { ...pointJson(o.today, sweep, slos), point: o.today.point === null ? null : sweep.points[o.today.point]!.values, inGrid: o.today.point !== null } : null,
      fixesTried: o.fixes,
      closest: o.closest ? pointJson(o.closest, sweep, slos) : null,
      pareto: o.pareto.map((e) => ({ point: sweep.points[e.index]!.values, costPerHour: e.costPerHour, containers: e.containers, workers: e.workers, rate502: figure(e.rate502), rate5xx: figure(e.rate5xx) })),
      summary: sizeSentence(o, sweep, slos, r.prices.currency),
      reruns: o.reruns.map((x) => ({ round: x.round, points: x.points.map((i) => sweep.points[i]!.values), replications: x.replications })),
      points: o.evals.map((e) => pointJson(e, sweep, slos)),
    },
    null,
    2,
  )}\n`;
}
