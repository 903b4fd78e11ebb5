// Money for people: "$0.20/h", "$144/month".
import { formatDecimal } from './format.js';

export const HOURS_PER_MONTH = 730;

/** Dollars with two decimals, or two significant digits below 10 cents: $0.20, $0.049, $1.23. */
export function dollars(x: number, currency = 'USD'): string {
  const sign = currency === 'USD' ? '$' : `${currency} `;
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  let s: string;
  if (a === 0) s = '0';
  else if (a >= 10) s = formatDecimal(Math.round(a), 0);
  else if (a >= 0.1) s = a.toFixed(2);
  else s = a.toPrecision(2);
  return `${x < 0 ? '−' : ''}${sign}${s}`;
}

export const perHour = (x: number, currency?: string) => `${dollars(x, currency)}/h`;
export const perMonth = (x: number, currency?: string) => `${dollars(x * HOURS_PER_MONTH, currency)}/month`;
