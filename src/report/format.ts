// Number formatting for people: a few significant digits, thousands separated.
import type { Figure } from '../experiment/run-experiment.js';

export function num(x: number | null, digits = 3): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 10 ** digits) return formatDecimal(Math.round(x), 0);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  return formatDecimal(x, Math.min(decimals, 6));
}

/**
 * What x.toLocaleString('en-US', { maximumFractionDigits }) prints, without Intl: loading ICU's
 * number formatting costs ~20 ms at start-up, a tenth of a short run. Like ICU, it rounds the
 * shortest decimal form of x (so 1.005 → "1.01"), half away from zero; then it drops trailing
 * zeros and groups thousands with commas.
 */
export function formatDecimal(x: number, maxFraction: number): string {
  if (!Number.isFinite(x)) return String(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string];
  let digits = mantissa.replace('.', '');
  let point = Number(exponent) + 1; // digits before the decimal point
  const keep = point + maxFraction;
  if (keep < 0) return `${sign}0`;
  if (digits.length > keep) {
    const up = digits.charCodeAt(keep) >= 53; // '5'
    digits = digits.slice(0, keep);
    if (up) {
      let i = digits.length - 1;
      while (i >= 0 && digits[i] === '9') i--;
      if (i < 0) {
        digits = `1${'0'.repeat(digits.length)}`;
        point++;
      } else digits = digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + '0'.repeat(digits.length - 1 - i);
    }
  }
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (digits.length <= point) {
    int = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  frac = frac.replace(/0+$/, '');
  int = int.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
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
