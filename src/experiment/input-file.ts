// Reading a whole user file (a model, a price table, a notebook) as one consistent snapshot, or
// saying why not, in words a user can act on: no such file, a directory where a file was expected,
// empty, too large, or changed while it was read (an editor saving in place: truncate, then
// write). The bytes are read through one descriptor up to the size seen when it was opened; a
// file replaced by a rename meanwhile is read whole as it was (the descriptor keeps the old one).
// Pipes and other non-regular files (`<(zcat …)`) are read to their end, with no such check.
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { formatDecimal } from '../report/format.js';

/** A user's file that cannot be read as asked; `reason` is the part after "FILE: ". Exit code 2. */
export class InputFileError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'InputFileError';
  }
}

export interface ReadInputOptions {
  /** What the file should be, for messages: "a YAML model file". */
  expected: string;
  /** Larger files are refused (named by mistake: a log, an archive). */
  maxBytes?: number;
  /** An empty file is fine (the caller says what it means). Default: refused. */
  allowEmpty?: boolean;
}

/** Did the file change between two looks at it (size, or modification time at the same size)? */
export function changedBetween(before: Stats, after: Stats): boolean {
  return after.size !== before.size || after.mtimeMs !== before.mtimeMs;
}

export function readInputFile(file: string, opts: ReadInputOptions): Buffer {
  let fd: number;
  try {
    // Not a FIFO opened blind: stat first, so a directory or a missing file is named before open.
    const st = statSync(file);
    if (st.isDirectory()) throw new InputFileError(file, 'cannot read file (is a directory)');
    fd = openSync(file, 'r');
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'a symbolic link that loops' : code === 'ENOTDIR' ? 'a path through a file' : (code ?? String(e));
    throw new InputFileError(file, `cannot read file (${why})`);
  }
  try {
    const before = fstatSync(fd);
    if (!before.isFile()) return readToEnd(fd, file, opts);
    if (opts.maxBytes !== undefined && before.size > opts.maxBytes) {
      throw new InputFileError(file, `${formatDecimal(before.size, 3)} bytes: too large for ${opts.expected} (at most ${formatDecimal(opts.maxBytes, 3)} bytes)`);
    }
    if (before.size === 0 && !opts.allowEmpty) throw new InputFileError(file, `empty file; expected ${opts.expected}`);
    const buf = Buffer.alloc(before.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    const after = fstatSync(fd);
    if (got < before.size || changedBetween(before, after)) {
      throw new InputFileError(file, `changed while it was read (${formatDecimal(before.size, 3)} bytes when opened, ${formatDecimal(after.size, 3)} after); run again once it is saved`);
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

function readToEnd(fd: number, file: string, opts: ReadInputOptions): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (opts.maxBytes !== undefined && total > opts.maxBytes) throw new InputFileError(file, `more than ${formatDecimal(opts.maxBytes, 3)} bytes: too large for ${opts.expected}`);
    parts.push(Buffer.from(chunk.subarray(0, n)));
  }
  if (total === 0 && !opts.allowEmpty) throw new InputFileError(file, `empty; expected ${opts.expected}`);
  return Buffer.concat(parts);
}
