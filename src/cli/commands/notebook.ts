// capsim notebook FILE… [--out DIR] [--quick]: execute capacity-planning notebooks (Markdown
// with ```capsim blocks) and write DIR/NAME.md and DIR/NAME.html.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { executeNotebook, NotebookBlockError } from '../../notebook/execute.js';
import { writeNotebook } from '../../notebook/render.js';
import { reportAndExit, UsageError } from '../errors.js';

interface NotebookOptions {
  out: string;
  quick?: boolean;
  quiet?: boolean;
}

export function registerNotebook(program: Command): void {
  program
    .command('notebook')
    .description('execute notebooks (Markdown with ```capsim blocks) in order; writes DIR/NAME.md and DIR/NAME.html')
    .argument('<files...>', 'notebook files (.md)')
    .option('--out <dir>', 'output directory', 'out/notebooks')
    .option('--quick', 'short simulations (2 min, 2 replications) to check that every block runs')
    .option('--quiet', 'no progress on stderr')
    .action(async (files: string[], opts: NotebookOptions) => {
      try {
        for (const file of files) {
          let text: string;
          try {
            text = readFileSync(file, 'utf8');
          } catch {
            throw new UsageError(`${file}: cannot read the notebook`);
          }
          const name = path.basename(file).replace(/\.md$/i, '');
          const nb = await executeNotebook(file, text, {
            quick: opts.quick ?? false,
            workDir: path.join(opts.out, `${name}.files`, 'runs'),
            onBlock: (line, command) => {
              if (!opts.quiet) process.stderr.write(`capsim: ${file}:${line}: ${command}\n`);
            },
          });
          const written = writeNotebook(nb, opts.out);
          process.stdout.write(`wrote ${written.md} and ${written.html}\n`);
        }
      } catch (err) {
        if (err instanceof NotebookBlockError) {
          process.stderr.write(`capsim: ${err.message}\n`);
          if (process.env['CAPSIM_DEBUG'] && err.reason instanceof Error) process.stderr.write(`${err.reason.stack}\n`);
          process.exit(err.exitCode);
        }
        reportAndExit(err);
      }
    });
}
