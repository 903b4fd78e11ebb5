// Number formatting for people: a few significant digits, thousands separated.
import type { Figure } from '../experiment/run-experiment.js';

export function num(x: number | null, digits = 3): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 10 ** digits) return Math.round(x).toLocaleString('en-US');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  return x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: Math.min(decimals, 6) });
}

/** "12.3 [10.1, 14.6]" */
export function figure(f: Figure, digits = 3): string {
  if (f.mean === null) return '—';
  const [lo, hi] = f.ci95;
  if (lo === hi) return num(f.mean, digits);
  return `${num(f.mean, digits)} [${num(lo, digits)}, ${num(hi, digits)}]`;
}

export function pct(f: Figure): string {
  if (f.mean === null) return '—';
  const p = (x: number | null) => (x === null ? '—' : (x * 100).toFixed(1));
  return `${p(f.mean)}% [${p(f.ci95[0])}, ${p(f.ci95[1])}]`;
}

export function duration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  if (seconds >= 1) return `${num(seconds)}s`;
  return `${num(seconds * 1000)}ms`;
}

/** Left-aligned first column, the rest right-aligned, two spaces apart. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}
