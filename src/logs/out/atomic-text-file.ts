// A text file written in pieces as they come (bounded memory: a 64 KiB buffer), into a
// temporary file beside the target that is renamed over it only when complete, so a reader
// never sees half a log and an interrupted run leaves none that looks complete.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

const FLUSH = 1 << 16;

export class AtomicTextFile {
  private readonly tmp: string;
  private fd: number;
  private buf = '';
  bytes = 0;

  constructor(readonly file: string) {
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true });
    this.tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${process.hrtime.bigint()}.tmp`);
    this.fd = openSync(this.tmp, 'w');
  }

  write(text: string): void {
    this.buf += text;
    if (this.buf.length >= FLUSH) this.flush();
  }

  /** Finish: everything on disk, then the file appears under its name. */
  commit(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.file);
  }

  /** Give up: the temporary file goes, the target is untouched. */
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    this.bytes += writeSync(this.fd, this.buf);
    this.buf = '';
  }
}
