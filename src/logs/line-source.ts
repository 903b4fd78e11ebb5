// A log file's lines, streamed: plain or gzip (told by the gzip magic bytes, not the name),
// in chunks, so memory stays bounded whatever the file's size. Lines are handed to a callback
// with their 1-based number; "\r\n" endings are accepted. A line longer than MAX_LINE is
// handed over cut to that length (the reader then finds it malformed) rather than buffered.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
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
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let skipping = false; // inside an overlong line already handed over
  let n = 0;
  const emit = (line: string) => {
    n++;
    const l = line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    onLine(l, n);
  };
  try {
    for await (const chunk of stream) {
      let text = carry + decoder.write(chunk as Buffer);
      let from = 0;
      if (skipping) {
        const nl = text.indexOf('\n');
        if (nl < 0) continue;
        from = nl + 1;
        skipping = false;
      }
      for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', from)) {
        emit(text.slice(from, nl));
        from = nl + 1;
      }
      carry = text.slice(from);
      if (carry.length > MAX_LINE) {
        emit(carry.slice(0, MAX_LINE));
        carry = '';
        skipping = true;
      }
      text = '';
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw Object.assign(new Error(`${file}: ${err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR' ? 'corrupt gzip data' : err.message} after line ${n}`), { exitCode: 2 });
  }
  const rest = carry + decoder.end();
  if (rest.length > 0 && !skipping) emit(rest);
  return n;
}
