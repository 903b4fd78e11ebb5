// capsim init [--server uwsgi|gunicorn] [--out FILE] [--force]: a commented starting model that
// runs as it is (src/cli/init-models.ts). Never replaces an existing file unless --force.
import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../experiment/files.js';
import { SCHEMA_FILE } from '../../scenario/json-schema.js';
import type { ServerKind } from '../../scenario/model-types.js';
import { reportAndExit, UsageError } from '../errors.js';
import { starterModel } from '../init-models.js';

interface InitOptions {
  server: string;
  out: string;
  force?: boolean;
}

const SERVERS: readonly ServerKind[] = ['uwsgi', 'gunicorn'];

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a commented starting model that runs as it is (never over an existing file without --force)')
    .option('--server <kind>', 'uwsgi or gunicorn', 'uwsgi')
    .option('--out <file>', 'the model file to write; - for stdout', 'capsim-model.yaml')
    .option('--force', 'replace FILE if it exists')
    .action((opts: InitOptions) => {
      try {
        if (!(SERVERS as readonly string[]).includes(opts.server)) throw new UsageError(`--server ${opts.server}: expected uwsgi or gunicorn`);
        const server = opts.server as ServerKind;
        if (opts.out === '-') {
          process.stdout.write(starterModel(server, schemaPath(null)));
          return;
        }
        const text = starterModel(server, schemaPath(path.dirname(path.resolve(opts.out))));
        if (opts.force) writeFileAtomic(opts.out, text);
        else writeNew(opts.out, text);
        process.stderr.write(`capsim: wrote ${opts.out} (${server}); next: capsim explain ${opts.out}, capsim run ${opts.out}\n`);
      } catch (err) {
        reportAndExit(err);
      }
    });
}

/** Write FILE only if nothing is there, atomically: a complete temporary file, then a hard link (which fails if FILE exists). */
function writeNew(file: string, text: string): void {
  if (existsSync(file)) throw new UsageError(`${file} exists; capsim init does not replace it (give --force, or another --out FILE)`);
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${file} exists; capsim init does not replace it (give --force, or another --out FILE)`);
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The bundled JSON Schema, relative to `fromDir` (absolute for stdout), for the model's yaml-language-server line. */
function schemaPath(fromDir: string | null): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const f = path.join(dir, SCHEMA_FILE);
    if (existsSync(f)) return fromDir === null ? f : path.relative(fromDir, f).split(path.sep).join('/');
    dir = path.dirname(dir);
  }
  return SCHEMA_FILE;
}
