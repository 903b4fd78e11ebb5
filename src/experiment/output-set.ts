// The outputs of one command appear together or not at all, and never next to a previous run's.
//
// A command that writes DIR/report.html, DIR/charts/, DIR/sweep.csv … first checks DIR (a
// directory, or a path where one can be made) and, before any work, removes every output an
// earlier run left there (report.html and charts/ included), so an interrupted run leaves nothing
// that passes for a result. It then writes its outputs into a staging directory inside DIR
// (DIR/.capsim-staging-PID-N/: same file system, so a rename moves them) and, once all are
// written, renames them into DIR, the page people open (report.html) last. A run killed before
// that leaves only the staging directory, which the next run removes; what resume needs (the
// sweep's manifest and points/) is not an output and is left alone. One command at a time writes
// DIR: the set holds DIR's lock (output-lock.ts) from before it removes anything until commit or
// discard.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ExperimentInputError } from './errors.js';
import { writeFileAtomic } from './files.js';
import { OutputLock } from './output-lock.js';

/** What run, sweep, size and merge write in DIR: all of it is stale to any later command there. */
export const RESULT_OUTPUTS = ['report.html', 'charts', 'run.json', 'timeline.json', 'sweep.csv', 'sweep.json', 'size.json'] as const;

const STAGING = /^\.capsim-staging-\d+-\d+$/;
let counter = 0;

/**
 * DIR must be a directory or a path where one can be created: not a file, no file on the way,
 * writable. Checked before any work, so a bad --out is exit 2 at once, not an EEXIST at the end.
 */
export function checkOutputDir(dir: string, option = '--out'): void {
  const bad = (why: string): never => {
    throw new ExperimentInputError(`${option} ${dir}: ${why}; expected a directory (existing, or one capsim can create)`);
  };
  let p = path.resolve(dir);
  for (;;) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) bad(p === path.resolve(dir) ? 'is a file' : `${p} is a file`);
      try {
        accessSync(p, constants.W_OK | constants.X_OK);
      } catch {
        bad(p === path.resolve(dir) ? 'is not writable' : `cannot create it: ${p} is not writable`);
      }
      return;
    }
    const up = path.dirname(p);
    if (up === p) return;
    p = up;
  }
}

/**
 * FILE, an output file (calibrate --out, run --access-log): not a directory, in a directory that
 * exists or can be made. Checked before any work, so the mistake is exit 2 at once.
 */
export function checkOutputFile(file: string, option: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    st = null;
  }
  if (st?.isDirectory()) throw new ExperimentInputError(`${option} ${file}: is a directory; expected the name of a file to write`);
  checkOutputDir(path.dirname(file), `${option} ${file}: its folder`);
}

/**
 * Rename `from` to `to`. A directory whose target is a directory already (a notebook's NAME.files/,
 * which holds the blocks' runs) is merged entry by entry; anything else of that name is replaced.
 */
function moveInto(from: string, to: string): void {
  if (statSync(from).isDirectory() && existsSync(to) && statSync(to).isDirectory()) {
    for (const f of readdirSync(from).sort()) moveInto(path.join(from, f), path.join(to, f));
    return;
  }
  rmSync(to, { recursive: true, force: true });
  renameSync(from, to);
}

export class OutputSet {
  /** Where this run's outputs are written until commit. */
  readonly staging: string;
  private committed = false;
  private readonly lock: OutputLock;

  /**
   * @param dir the output directory
   * @param names the entries (files or directories) this command owns in DIR
   * @param last the entry renamed into place last: the one a person opens
   */
  constructor(
    readonly dir: string,
    readonly names: readonly string[] = RESULT_OUTPUTS,
    readonly last = 'report.html',
  ) {
    checkOutputDir(dir);
    mkdirSync(dir, { recursive: true });
    // Before anything is removed: a second writer is refused here, the first one's files untouched.
    this.lock = OutputLock.acquire(dir);
    try {
      this.staging = this.prepare();
    } catch (e) {
      this.lock.release();
      throw e;
    }
  }

  /** Remove what an earlier run left and make the staging directory. */
  private prepare(): string {
    const { dir, names } = this;
    // A staging directory here is a dead run's: with DIR's lock held, no other process writes it.
    for (const f of readdirSync(dir)) if (STAGING.test(f)) rmSync(path.join(dir, f), { recursive: true, force: true });
    // charts/ is removed whole: make sure it is capsim's (--out . in a directory with charts of its own).
    const charts = path.join(dir, 'charts');
    if (names.includes('charts') && existsSync(charts)) {
      const foreign = statSync(charts).isDirectory() ? readdirSync(charts).filter((f) => !/\.(svg|png)$/.test(f) || f.startsWith('.')) : ['(a file)'];
      if (foreign.length > 0) throw new ExperimentInputError(`--out ${dir}: ${charts} holds files capsim did not write (${foreign.slice(0, 3).join(', ')}); expected an output directory of capsim's, or a new one`);
    }
    for (const n of names) rmSync(path.join(dir, n), { recursive: true, force: true });
    const staging = path.join(dir, `.capsim-staging-${process.pid}-${counter++}`);
    mkdirSync(staging, { recursive: true });
    return staging;
  }

  /** The staged path of an output (for writers that take a directory, such as charts/). */
  path(name: string): string {
    return path.join(this.staging, name);
  }

  write(name: string, data: string | Uint8Array): void {
    writeFileAtomic(this.path(name), data);
  }

  /** Move every staged output into DIR, `last` at the end; returns the final paths. */
  commit(): string[] {
    if (this.committed) throw new Error('OutputSet: committed twice');
    this.committed = true;
    const staged = readdirSync(this.staging).sort((a, b) => Number(a === this.last) - Number(b === this.last) || (a < b ? -1 : a > b ? 1 : 0));
    for (const f of staged) moveInto(path.join(this.staging, f), path.join(this.dir, f));
    rmSync(this.staging, { recursive: true, force: true });
    this.lock.release();
    return staged.map((f) => path.join(this.dir, f));
  }

  /** Drop what was staged (a command that failed after starting) and let DIR go; a no-op after commit. */
  discard(): void {
    if (!this.committed) rmSync(this.staging, { recursive: true, force: true });
    this.lock.release();
  }
}
