// A log file's lines, read synchronously (for a model's replayed arrivals, which are loaded
// while a replication is built): plain files in 1 MiB chunks, gzip files inflated whole (an
// hour of a busy fleet's ALB log is tens of MB compressed). Same line rules as line-source.ts.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { MAX_LINE, isGzip } from './line-source.js';

export function forEachLineSync(file: string, onLine: (line: string, n: number) => void): number {
  let n = 0;
  const text = (s: string) => {
    let from = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
      emit(s.slice(from, nl));
      from = nl + 1;
    }
    return s.slice(from);
  };
  const emit = (line: string) => {
    n++;
    const l = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    onLine(l, n);
  };
  if (isGzip(file)) {
    const rest = text(gunzipSync(readFileSync(file)).toString('utf8'));
    if (rest.length > 0) emit(rest);
    return n;
  }
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
      const last = chunk.lastIndexOf(10);
      if (last < 0) {
        carry = Buffer.from(chunk);
        continue;
      }
      text(chunk.toString('utf8', 0, last + 1));
      carry = Buffer.from(chunk.subarray(last + 1));
    }
    if (carry.length > 0) emit(carry.toString('utf8'));
  } finally {
    closeSync(fd);
  }
  return n;
}
