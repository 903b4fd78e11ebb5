// A log file's lines, read synchronously (for a model's replayed arrivals, which are loaded
// while a replication is built): plain files in 1 MiB chunks, gzip files inflated whole (an
// hour of a busy fleet's ALB log is tens of MB compressed). Same line rules as line-source.ts.
// Read up to the size seen at open; a file that changed meanwhile (even grew: every replication
// must replay the same arrivals) is exit 2, "changed while it was read".
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { changedBetween } from '../experiment/input-file.js';
import { MAX_LINE, changedError } from './line-source.js';

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
  const fd = openSync(file, 'r');
  try {
    const before = fstatSync(fd);
    const check = () => {
      const after = fstatSync(fd);
      if (before.isFile() && changedBetween(before, after)) throw changedError(file, before.size, after.size);
    };
    const head = Buffer.alloc(2);
    if (readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b) {
      const all = Buffer.alloc(before.size);
      let got = 0;
      while (got < all.length) {
        const k = readSync(fd, all, got, all.length - got, got);
        if (k === 0) break;
        got += k;
      }
      check();
      let inflated: Buffer;
      try {
        inflated = gunzipSync(all.subarray(0, got));
      } catch {
        throw Object.assign(new Error(`${file}: corrupt gzip data (cut short, or not gzip past its first bytes)`), { exitCode: 2 });
      }
      const rest = text(inflated.toString('utf8'));
      if (rest.length > 0) emit(rest);
      return n;
    }
    const buf = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let pos = 0;
    for (;;) {
      const want = before.isFile() ? Math.min(buf.length, before.size - pos) : buf.length;
      const got = want > 0 ? readSync(fd, buf, 0, want, before.isFile() ? pos : null) : 0;
      if (got === 0) break;
      pos += got;
      const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
      const last = chunk.lastIndexOf(10);
      if (last < 0) {
        carry = Buffer.from(chunk);
        continue;
      }
      text(chunk.toString('utf8', 0, last + 1));
      carry = Buffer.from(chunk.subarray(last + 1));
    }
    check();
    if (carry.length > 0) emit(carry.toString('utf8'));
  } finally {
    closeSync(fd);
  }
  return n;
}
