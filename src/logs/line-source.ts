// A log file's lines, streamed: plain or gzip (told by the gzip magic bytes, not the name),
// in chunks, so memory stays bounded whatever the file's size. Lines are handed to a callback
// with their 1-based number; "\r\n" endings are accepted. A line longer than MAX_LINE is
// handed over cut to that length (the reader then finds it malformed) rather than buffered.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

export const MAX_LINE = 1 << 20;
const CHUNK = 1 << 20;

export function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Call onLine for each line of file; resolves with the number of lines. */
export async function forEachLine(file: string, onLine: (line: string, n: number) => void): Promise<number> {
  const raw = createReadStream(file, { highWaterMark: CHUNK });
  const stream = isGzip(file) ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
  // Bytes after the chunk's last newline wait for the next chunk: a newline byte is never part of
  // a multi-byte UTF-8 character, so each decoded piece ends on a whole character.
  let carry: Buffer | null = null;
  let skipping = false; // inside an overlong line already handed over
  let n = 0;
  const emit = (line: string) => {
    n++;
    const l = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    onLine(l, n);
  };
  const lines = (text: string) => {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      emit(text.slice(from, nl));
      from = nl + 1;
    }
  };
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      const last = buf.lastIndexOf(10);
      if (last < 0) {
        carry = carry === null ? buf : Buffer.concat([carry, buf]);
        if (carry.length > MAX_LINE) {
          if (!skipping) emit(carry.subarray(0, MAX_LINE).toString('utf8'));
          carry = null;
          skipping = true;
        }
        continue;
      }
      let from = 0;
      if (carry !== null || skipping) {
        // The line that started in an earlier chunk ends at this chunk's first newline.
        const first = buf.indexOf(10);
        if (!skipping) lines(Buffer.concat([carry!, buf.subarray(0, first + 1)]).toString('utf8'));
        carry = null;
        skipping = false;
        from = first + 1;
      }
      const end = last;
      if (end + 1 > from) lines(buf.toString('utf8', from, end + 1));
      if (end + 1 < buf.length) carry = Buffer.from(buf.subarray(end + 1));
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw Object.assign(new Error(`${file}: ${err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR' ? 'corrupt gzip data' : err.message} after line ${n}`), { exitCode: 2 });
  }
  if (carry !== null && !skipping) emit(carry.toString('utf8'));
  return n;
}
