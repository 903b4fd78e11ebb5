// A log file's lines, streamed: plain or gzip (told by the gzip magic bytes, not the name),
// in chunks, so memory stays bounded whatever the file's size. Lines are handed to a callback
// with their 1-based number; "\r\n" endings are accepted. A line longer than MAX_LINE is
// handed over cut to that length (the reader then finds it malformed) rather than buffered.
//
// A file is read through one descriptor, up to the size it had when opened: a log still being
// appended to is read as it was then (onGrew says so), one replaced by a rename is read whole as
// it was; one that shrank or was rewritten in place meanwhile is exit 2, "changed while it was
// read". One file is open at a time.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { changedBetween } from '../experiment/input-file.js';
import { formatDecimal } from '../report/format.js';

export const MAX_LINE = 1 << 20;
const CHUNK = 1 << 20;
/** Files up to these sizes are read (and inflated) in one piece. */
const SMALL_PLAIN = CHUNK;
const SMALL_GZIP = 128 << 10;

export function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    return fdIsGzip(fd);
  } finally {
    closeSync(fd);
  }
}

function fdIsGzip(fd: number): boolean {
  const b = Buffer.alloc(2);
  return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** exit 2: the file is not what it was when opened. */
export function changedError(file: string, atOpen: number, now: number): Error {
  return Object.assign(new Error(`${file}: changed while it was read (${formatDecimal(atOpen, 3)} bytes when opened, ${formatDecimal(now, 3)} after; rewritten or truncated): read it again once it is complete`), { exitCode: 2 });
}

/**
 * Call onLine for each line of file; resolves with the number of lines. onGrew is told when the
 * file grew while it was read (its lines past the size at open are left out).
 */
export async function forEachLine(file: string, onLine: (line: string, n: number) => void, onGrew?: (atOpen: number, now: number) => void): Promise<number> {
  const small = readSmall(file);
  if (small !== null) {
    if (small.bytes.length === 0) return 0; // an empty file has no line, not one blank one
    let source: Iterable<Buffer> | NodeJS.ReadableStream = [small.bytes];
    if (small.gzip) {
      try {
        source = [gunzipSync(small.bytes)];
      } catch {
        // Cut or corrupt: the stream hands over the lines before the damage, then names it.
        source = Readable.from([small.bytes]).pipe(createGunzip());
      }
    }
    const n = await readLines(file, source, onLine);
    if (small.now > small.bytes.length) onGrew?.(small.bytes.length, small.now);
    return n;
  }
  // A FileHandle: its close waits for a read still pending when a callback stops the read early.
  const h = await open(file, 'r');
  try {
    const before = await h.stat();
    const regular = before.isFile();
    if (regular && before.size === 0) return 0;
    const head = Buffer.alloc(2);
    const gzip = regular && (await h.read(head, 0, 2, 0)).bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    const raw = Readable.from(chunks(h, regular ? before.size : Infinity), { objectMode: false });
    const stream = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
    let n: number;
    try {
      n = await readLines(file, stream, onLine);
    } catch (e) {
      // A gzip file cut short because it is still being written: say that, not only "corrupt".
      const now = regular ? (await h.stat()).size : 0;
      if (e instanceof Error && /corrupt gzip data/.test(e.message) && now > before.size) {
        e.message += ` (it grew while it was read, from ${formatDecimal(before.size, 3)} to ${formatDecimal(now, 3)} bytes: still being written?)`;
      }
      throw e;
    } finally {
      raw.destroy();
    }
    if (regular) {
      const after = await h.stat();
      if (after.size < before.size || (after.size === before.size && changedBetween(before, after))) throw changedError(file, before.size, after.size);
      if (after.size > before.size) onGrew?.(before.size, after.size);
    }
    return n;
  } finally {
    await h.close();
  }
}

/**
 * A small regular file read whole at once (most of a directory of many small logs: an ALB writes
 * one every 5 minutes per node), up to its size at open; null for a large one or not a regular file.
 */
function readSmall(file: string): { bytes: Buffer; gzip: boolean; now: number } | null {
  // A pipe (`<(zcat …)`) is not opened here: opening and closing it again could lose what it holds.
  const st = statSync(file);
  if (!st.isFile() || st.size > SMALL_PLAIN) return null;
  const fd = openSync(file, 'r');
  try {
    const before = fstatSync(fd);
    if (!before.isFile() || before.size > SMALL_PLAIN) return null;
    const bytes = Buffer.allocUnsafe(before.size);
    let got = 0;
    while (got < bytes.length) {
      const k = readSync(fd, bytes, got, bytes.length - got, got);
      if (k === 0) break;
      got += k;
    }
    const after = fstatSync(fd);
    if (got < before.size || after.size < before.size || (after.size === before.size && changedBetween(before, after))) throw changedError(file, before.size, after.size);
    const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    // A gzip file inflates to ~10 times its size: only small ones are inflated in one piece.
    if (gzip && bytes.length > SMALL_GZIP) return null;
    return { bytes, gzip, now: after.size };
  } finally {
    closeSync(fd);
  }
}

/** The file's bytes up to `size`, in chunks, through the handle (which stays open). */
async function* chunks(h: FileHandle, size: number): AsyncGenerator<Buffer> {
  let pos = 0;
  while (pos < size) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - pos));
    const { bytesRead } = await h.read(buf, 0, buf.length, Number.isFinite(size) ? pos : null);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }
}

async function readLines(file: string, stream: Iterable<Buffer> | NodeJS.ReadableStream, onLine: (line: string, n: number) => void): Promise<number> {
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
