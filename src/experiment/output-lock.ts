// One writer at a time for an output: a second capsim writing the same --out folder (or the same
// --out / --access-log file) is refused with exit 2, naming the folder and the process that holds
// it: pid, command, since when. Refusing, not waiting: a wait could last hours (a sweep), and a
// command that says why it stopped is easier to reason about than one that hangs.
//
// The lock is a file created whole: written to a temporary file, then linked to its name (link()
// fails if the name exists: atomic, also on NFS; O_CREAT|O_EXCL where there are no hard links): for a
// folder DIR/.capsim-lock, for a file F the file .F.capsim-lock beside it. It holds JSON: pid,
// host, the process's start time (Linux: boot id and /proc/PID/stat field 22, so a pid reused by
// another process after a reboot or a wrap-around is told apart), when it was taken and the
// command. A lock whose process is gone does not block: on this host it is stale when the pid is
// dead (process.kill(pid, 0) says ESRCH) or names another process (a different start time);
// without /proc (macOS, Windows) a live pid keeps it (the message names the file to remove). A lock
// written on another host (an --out on a shared file system) is stale once its holder has not
// refreshed it (every minute) for REMOTE_STALE_MS. A stale lock is moved aside with an atomic
// rename and removed only if what was moved is the very lock judged stale; a lock is released only
// by the holder whose nonce it carries: capsim never deletes another process's lock.
//
// Shards of one sweep (`--shard K/N`) write one folder together: each takes DIR/.capsim-lock.shard-
// K-of-N, and the folder lock and the shard locks exclude each other (each creates its own, then
// looks for the other kind: of two racing, at least one sees the other and backs off).
//
// Released on every exit path that runs JavaScript: at the end of the command, on an error, on
// process.exit (Ctrl-C's exit 130 included: an 'exit' hook). A process killed outright (SIGKILL, or
// Ctrl-C while one replication computes on the main thread) leaves its lock; it is stale at once.
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ExperimentInputError } from './errors.js';

/** What a lock file holds. */
export interface LockHolder {
  pid: number;
  host: string;
  /** Linux: "BOOT_ID:STARTTIME" of the process; null where it cannot be read. */
  start: string | null;
  /** ISO time the lock was taken. */
  since: string;
  command: string;
  /** Which lock this is (a release checks it: never another's). */
  nonce: string;
  /** "K/N" for a shard's lock. */
  shard?: string;
}

/** A lock from another host counts as abandoned once not refreshed for this long. */
export const REMOTE_STALE_MS = 60 * 60 * 1000;
/** How often a holder refreshes its lock's mtime (for other hosts). */
const HEARTBEAT_MS = 60 * 1000;
/** A lock file still empty this long after its creation was left by a process killed while writing it. */
const HALF_WRITTEN_MS = 10 * 1000;

export const LOCK_NAME = '.capsim-lock';
const SHARD_LOCK = /^\.capsim-lock\.shard-(\d+)-of-(\d+)$/;

/** The process's start, as a string that differs for a reused pid; null without /proc. */
export function processStart(pid: number | 'self'): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ')': count after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19]; // field 22 of the whole line
    if (ticks === undefined || !/^\d+$/.test(ticks)) return null;
    let boot = '';
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      // no boot id: the start time alone
    }
    return `${boot}:${ticks}`;
  } catch {
    return null;
  }
}

const MY_HOST = hostname();
const MY_START = processStart('self');

function commandLine(): string {
  const quote = (a: string) => (/^[A-Za-z0-9_./:=,%@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['capsim', ...process.argv.slice(2)].map(quote).join(' ');
}

/** Is the holder's process still there? */
function holderAlive(h: LockHolder, mtimeMs: number, now = Date.now()): boolean {
  if (h.host !== MY_HOST) return now - mtimeMs < REMOTE_STALE_MS;
  if (h.pid === process.pid) return h.start === MY_START;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: no such process
  }
  if (h.start === null) return true;
  const now_ = processStart(h.pid);
  // Without /proc the pid alone decides (safe side: a live pid keeps its lock).
  return now_ === null || now_ === h.start;
}

interface Found {
  file: string;
  raw: string;
  holder: LockHolder | null;
  mtimeMs: number;
}

function readLock(file: string): Found | null {
  let raw: string;
  let mtimeMs: number;
  try {
    raw = readFileSync(file, 'utf8');
    mtimeMs = statSync(file).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let holder: LockHolder | null = null;
  try {
    const j = JSON.parse(raw) as LockHolder;
    if (typeof j.pid === 'number' && typeof j.nonce === 'string') holder = j;
  } catch {
    // being written (or left half-written by a killed process)
  }
  return { file, raw, holder, mtimeMs };
}

function isStale(f: Found): boolean {
  if (f.holder === null) return Date.now() - f.mtimeMs > HALF_WRITTEN_MS;
  return !holderAlive(f.holder, f.mtimeMs);
}

/** Move a stale lock aside and remove it, only if it is still the one judged stale. */
function breakStale(f: Found): void {
  const aside = `${f.file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(f.file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // another process broke it first
    throw e;
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    // gone: nothing to put back
  }
  if (moved === f.raw) {
    rmSync(aside, { force: true });
    return;
  }
  // A newer, live lock was taken in between and we moved it: put it back (link fails if a third
  // process holds the name now; then it stays aside rather than be deleted).
  try {
    linkSync(aside, f.file);
    rmSync(aside, { force: true });
  } catch {
    // left aside: never delete another's lock
  }
}

function describe(h: LockHolder | null, file: string): string {
  if (h === null) return `a process that is taking it now (${file})`;
  const where = h.host !== MY_HOST ? ` on ${h.host}` : '';
  const shard = h.shard ? `shard ${h.shard}: ` : '';
  return `${shard}pid ${h.pid}${where} (${h.command}), since ${h.since}`;
}

/**
 * Create `file` holding `content`, atomically: written to a temporary file beside it, then linked
 * to its name (link() fails with EEXIST if the name exists, as open(O_EXCL) does), so another
 * process never reads a lock without its holder. Where the file system has no hard links, the
 * name is created with O_EXCL and then written (a reader may then see it empty for a moment:
 * "a process that is taking it now"). Throws EEXIST if the lock exists.
 */
function createWithContent(file: string, content: string, nonce: string): boolean {
  const tmp = `${file}.${process.pid}-${nonce}.tmp`;
  const write = (name: string, flags: string) => {
    const fd = openSync(name, flags);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  write(tmp, 'wx');
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw e;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    write(file, 'wx'); // no hard links here
    return true;
  } finally {
    rmSync(tmp, { force: true });
  }
}

const held = new Set<OutputLock>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const l of [...held]) l.release();
  });
}

export interface LockOptions {
  /** How the command named this output, for messages: '--out', '--access-log'… */
  option?: string;
  /** 'dir' (default): lock a folder; 'file': lock one output file. */
  kind?: 'dir' | 'file';
  /** A shard of a sweep: "K/N". */
  shard?: { k: number; n: number };
  /** Where notes go (a stale lock taken over): stderr by default. */
  note?: (text: string) => void;
}

export class OutputLock {
  private released = false;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    this.timer = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(this.file, now, now);
      } catch {
        // gone (taken over as stale by someone who judged wrongly): nothing to refresh
      }
    }, HEARTBEAT_MS);
    this.timer.unref();
    held.add(this);
    hookExit();
  }

  /** Take the lock of `target` (a folder, or a file with kind 'file'), or throw exit 2 naming who holds it. */
  static acquire(target: string, opts: LockOptions = {}): OutputLock {
    const option = opts.option ?? '--out';
    const kind = opts.kind ?? 'dir';
    const dir = kind === 'dir' ? target : path.dirname(target);
    mkdirSync(dir, { recursive: true });
    const name = kind === 'file' ? `.${path.basename(target)}.capsim-lock` : opts.shard ? `${LOCK_NAME}.shard-${opts.shard.k}-of-${opts.shard.n}` : LOCK_NAME;
    const file = path.join(dir, name);
    const note = opts.note ?? ((t: string) => process.stderr.write(t));
    const busy = (h: LockHolder | null, at: string) =>
      new ExperimentInputError(
        `${option} ${target}: in use by another capsim: ${describe(h, at)}; wait for it to finish, or choose another ${option}` +
          (h && h.host === MY_HOST && h.start === null ? ` (if pid ${h.pid} is not capsim, remove ${at})` : ''),
      );
    for (let attempt = 0; attempt < 5; attempt++) {
      const holder: LockHolder = {
        pid: process.pid,
        host: MY_HOST,
        start: MY_START,
        since: new Date().toISOString(),
        command: commandLine(),
        nonce: randomBytes(8).toString('hex'),
        ...(opts.shard ? { shard: `${opts.shard.k}/${opts.shard.n}` } : {}),
      };
      let created: boolean;
      try {
        created = createWithContent(file, `${JSON.stringify(holder)}\n`, holder.nonce);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        created = false;
      }
      if (!created) {
        const f = readLock(file);
        if (f === null) continue; // released meanwhile: try again
        if (!isStale(f)) throw busy(f.holder, file);
        breakStale(f);
        const why = f.holder && f.holder.host !== MY_HOST ? `not refreshed for over ${REMOTE_STALE_MS / 3_600_000} h` : 'no longer running';
        note(
          f.holder === null
            ? `capsim: note: ${option} ${target}: its lock ${file} was left half-written by a process that died; taken over\n`
            : `capsim: note: ${option} ${target} was locked by ${describe(f.holder, file)}, ${why}; taken over\n`,
        );
        continue;
      }
      const lock = new OutputLock(file, holder);
      // A folder's lock and its shards' locks exclude each other.
      if (kind === 'dir') {
        const other = lock.conflicting(dir, opts.shard !== undefined);
        if (other) {
          lock.release();
          throw busy(other.holder, other.file);
        }
      }
      return lock;
    }
    throw new ExperimentInputError(`${option} ${target}: could not take its lock ${file} (other processes kept taking it); try again`);
  }

  /** A live lock of the other kind in dir (a shard's for the folder lock, the folder's for a shard). */
  private conflicting(dir: string, iAmShard: boolean): Found | null {
    const names = iAmShard ? [LOCK_NAME] : readdirSync(dir).filter((n) => SHARD_LOCK.test(n));
    for (const n of names) {
      const f = readLock(path.join(dir, n));
      if (f === null) continue;
      if (!isStale(f)) return f;
      breakStale(f);
    }
    return null;
  }

  /** Remove the lock if it is still ours. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    held.delete(this);
    const f = readLock(this.file);
    if (f?.holder?.nonce === this.holder.nonce) rmSync(this.file, { force: true });
  }
}

/**
 * Throw exit 2 if a live process holds a lock in dir (the folder's or a shard's): for readers that
 * need finished output, such as merge reading shards. Locks this process holds do not count.
 */
export function assertNotBeingWritten(dir: string, what: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n === LOCK_NAME || SHARD_LOCK.test(n));
  } catch {
    return; // no such folder: the reader says so
  }
  for (const n of names) {
    const f = readLock(path.join(dir, n));
    if (f === null || isStale(f)) continue;
    if ([...held].some((l) => l.holder.nonce === f.holder?.nonce)) continue;
    throw new ExperimentInputError(`${what} ${dir}: still being written by ${describe(f.holder, f.file)}; wait for it to finish`);
  }
}
