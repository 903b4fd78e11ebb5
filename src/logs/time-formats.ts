// Time stamps as access logs write them, to epoch seconds, without Date parsing per line
// (Date.parse is ~10x slower and accepts forms no log writes).

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

function digits(s: string, from: number, n: number): number {
  let x = 0;
  for (let i = from; i < from + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    x = x * 10 + d;
  }
  return x;
}

/** ISO 8601 in UTC as AWS writes it: 2018-07-02T22:23:00.186641Z (fraction optional). NaN if not. */
// The day of the last ISO time parsed: lines of a log share their day, so Date.UTC runs once a day.
let lastDay = '';
let lastDayEpoch = NaN;

export function isoSeconds(s: string): number {
  if (s.length < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(10) !== 84) return NaN;
  if (!s.startsWith(lastDay) || lastDay === '') {
    lastDay = s.slice(0, 10);
    lastDayEpoch = Date.UTC(digits(s, 0, 4), digits(s, 5, 2) - 1, digits(s, 8, 2)) / 1000;
  }
  const h = digits(s, 11, 2);
  const m = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if (h > 23 || m > 59 || sec > 60 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const whole = lastDayEpoch + h * 3600 + m * 60 + sec;
  let i = 19;
  let frac = 0;
  let scale = 1;
  if (s.charCodeAt(i) === 46) {
    for (i++; i < s.length; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      frac = frac * 10 + d;
      scale *= 10;
    }
  }
  const zone = s.slice(i);
  if (zone === 'Z') return whole + frac / scale;
  const off = offsetSeconds(zone.replace(':', ''));
  return whole + frac / scale - off;
}

/** "+0200" -> 7200; NaN if not a zone offset. */
function offsetSeconds(z: string): number {
  if (z.length !== 5 || (z[0] !== '+' && z[0] !== '-')) return NaN;
  const v = digits(z, 1, 2) * 3600 + digits(z, 3, 2) * 60;
  return z[0] === '-' ? -v : v;
}

/** Common Log Format, as nginx $time_local and gunicorn %(t)s write it: 10/Oct/2000:13:55:36 -0700 (brackets stripped). */
export function clfSeconds(s: string): number {
  if (s.length !== 26 || s.charCodeAt(2) !== 47 || s.charCodeAt(6) !== 47) return NaN;
  const month = MONTHS[s.slice(3, 6)];
  if (month === undefined) return NaN;
  const t = Date.UTC(digits(s, 7, 4), month, digits(s, 0, 2), digits(s, 12, 2), digits(s, 15, 2), digits(s, 18, 2)) / 1000;
  return t - offsetSeconds(s.slice(21));
}

/**
 * uWSGI's request log time, ctime(3) without the newline: "Thu Jan  1 00:00:00 2015". It
 * carries no zone: it is read as UTC (docs/calibrate.md says so; only differences matter to a
 * rate and a daily profile read in the same zone).
 */
export function ctimeSeconds(s: string): number {
  // "Www Mmm dd hh:mm:ss yyyy", the day padded with a space (tolerated when collapsed).
  const p = s.split(' ').filter((x) => x !== '');
  if (p.length !== 5 || p[3]!.length !== 8) return NaN;
  const month = MONTHS[p[1]!];
  if (month === undefined) return NaN;
  const t = p[3]!;
  return Date.UTC(digits(p[4]!, 0, 4), month, +p[2]!, digits(t, 0, 2), digits(t, 3, 2), digits(t, 6, 2)) / 1000;
}

/** Epoch seconds to ISO 8601 UTC with microseconds, as an ALB writes it. */
export function isoMicros(t: number): string {
  const ms = Math.floor(t * 1000);
  const us = Math.round((t * 1000 - ms) * 1000);
  const carry = us === 1000 ? 1 : 0;
  const d = new Date(ms + carry).toISOString(); // 2018-07-02T22:23:00.186Z
  return `${d.slice(0, 23)}${String(carry ? 0 : us).padStart(3, '0')}Z`;
}

/** Epoch seconds to the Common Log Format in UTC: 02/Jul/2018:22:23:00 +0000. */
export function clfUtc(t: number): string {
  const d = new Date(Math.floor(t) * 1000);
  const names = Object.keys(MONTHS);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())}/${names[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
