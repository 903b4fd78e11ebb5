// The backtest as people read it: which windows fall outside the model's range and by how
// much, the window table, and the latency percentiles.
import { readLines } from '../calibrate/report.js';
import { table } from '../report/format.js';
import { COMPARED } from './compare.js';
import type { Backtest } from './run-backtest.js';

const iso = (t: number) => new Date(t * 1000).toISOString().replace(':00.000Z', 'Z');
const f = (x: number) => (Number.isFinite(x) ? `${+x.toPrecision(3)}` : '—');

export function backtestReport(b: Backtest): string {
  const L = readLines(b.read);
  L.push(
    `model ${b.model}: ${b.replications} replications over the logs' period (${iso(b.first)} to ${iso(b.last)}), ${b.replayed ? "replaying the logs' arrivals (traffic.replay)" : "at the model's own traffic"}`,
  );
  L.push('');
  const out = b.windows.filter((w) => w.outside.length > 0);
  L.push(
    out.length === 0
      ? `every one of the ${b.judged} whole 5-minute windows is inside the model's range for 502, 503 and 504`
      : `${out.length} of ${b.judged} whole 5-minute windows fall outside the model's range: ` +
          out
            .slice(0, 12)
            .map((w) => `${iso(w.start)} ${w.outside.map((o) => `${o.status} ${w.log[o.status]} (${o.by > 0 ? `${f(o.by)} above` : `${f(-o.by)} below`} the range)`).join(', ')}`)
            .join('; ') +
          (out.length > 12 ? `; … and ${out.length - 12} more` : ''),
  );
  L.push("range: the counts one window of real traffic would show if the model were right (the replications' spread for that window, and Poisson noise around its mean's 95% interval: the wider)");
  L.push('');
  const shown = b.windows.length <= 36 ? b.windows : b.windows.filter((w) => w.outside.length > 0 || COMPARED.some((s) => w.log[s]! > 0 || w.model[s]!.mean >= 0.5));
  const rows = [['5 minutes from', ...COMPARED.flatMap((s) => [`${s} log`, `${s} model [range]`]), '']];
  for (const w of shown) {
    rows.push([
      iso(w.start),
      ...COMPARED.flatMap((s) => {
        const m = w.model[s]!;
        return [String(w.log[s]), `${f(m.mean)} [${m.range[0]}, ${m.range[1]}]`];
      }),
      w.partial ? '(partial: not judged)' : w.outside.length > 0 ? `outside: ${w.outside.map((o) => o.status).join(', ')}` : '',
    ]);
  }
  L.push(table(rows));
  if (shown.length < b.windows.length) L.push(`(${b.windows.length - shown.length} windows with no 502/503/504 in the logs or the model and inside the range are not shown)`);
  L.push('');
  L.push("2xx latency, the logs against the model (mean over replications, 95% interval; outside: beyond it by more than the quantile sketch's 1% and the logs' 1 ms):");
  for (const l of b.latency) {
    L.push(`  p${l.p * 100}: logs ${f(l.logMs)} ms, model ${f(l.model.mean)} ms [${f(l.model.ci95[0])}, ${f(l.model.ci95[1])}]${l.outside ? `: outside, the logs ${l.logMs > l.model.ci95[1] ? `${f((l.logMs / l.model.ci95[1] - 1) * 100)}% above` : `${f((1 - l.logMs / l.model.ci95[0]) * 100)}% below`} the interval` : ''}`);
  }
  return `${L.join('\n')}\n`;
}
