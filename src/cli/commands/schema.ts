// capsim schema [--out FILE]: the model file's JSON Schema, generated from the parser's own zod
// schema (src/scenario/json-schema.ts), for editors and validators.
import type { Command } from 'commander';
import { writeFileAtomic } from '../../experiment/files.js';
import { modelJsonSchemaText, SCHEMA_FILE } from '../../scenario/json-schema.js';
import { reportAndExit } from '../errors.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(`print the JSON Schema of a model file (the copy editors can point to: ${SCHEMA_FILE})`)
    .option('--out <file>', 'write it to FILE (atomically) instead of stdout')
    .action((opts: { out?: string }) => {
      try {
        const text = modelJsonSchemaText();
        if (opts.out === undefined) {
          process.stdout.write(text);
          return;
        }
        writeFileAtomic(opts.out, text);
        process.stderr.write(`capsim: wrote ${opts.out}\n`);
      } catch (err) {
        reportAndExit(err);
      }
    });
}
