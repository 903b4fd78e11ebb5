// capsim notebook FILE… [--out DIR] [--quick]: execute capacity-planning notebooks (Markdown
// with ```capsim blocks) and write DIR/NAME.md and DIR/NAME.html.
import { existsSync } from 'node:fs';
import { InputFileError, readInputFile } from '../../experiment/input-file.js';
import path from 'node:path';
import type { Command } from 'commander';
import { OutputSet } from '../../experiment/output-set.js';
import { executeNotebook, NotebookBlockError } from '../../notebook/execute.js';
import { ProgressReporter } from '../../report/progress.js';
import { reportAndExit, UsageError } from '../errors.js';
import { wroteLine } from '../io.js';
import { onInterrupt } from './experiment-common.js';

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
      const progress = new ProgressReporter(process.stderr, opts.quiet ?? false);
      const written: string[] = [];
      let current = '';
      let outputs: OutputSet | undefined;
      const off = onInterrupt(
        () =>
          `${current} not written${written.length > 0 ? `; written before it: ${written.join(', ')}` : ''}; rerun the command (blocks are not resumed)`,
        () => progress.end(),
      );
      try {
        for (const file of files) {
          current = file;
          // NAME.md and NAME.html are made from the file's name: a notebook is Markdown, never a model file named by mistake.
          if (!/\.(md|markdown)$/i.test(file)) throw new UsageError(`${file}: not a notebook; expected a Markdown file (.md) with \`\`\`capsim blocks, such as notebooks/incident-postmortem.md`);
          let text: string;
          try {
            text = readInputFile(file, { expected: 'a Markdown notebook with ```capsim blocks', maxBytes: 16 << 20 }).toString('utf8');
          } catch (e) {
            if (e instanceof InputFileError) throw new UsageError(`${file}: ${e.reason.replace(/^cannot read file/, 'cannot read the notebook')}`);
            throw e;
          }
          if (!/^```+\s*capsim\b/m.test(text)) throw new UsageError(`${file}: no \`\`\`capsim block; expected a Markdown notebook with at least one, such as notebooks/incident-postmortem.md`);
          const name = path.basename(file).replace(/\.(md|markdown)$/i, '');
          // NAME.md, NAME.html and NAME.files/ of an earlier run go before any block runs; the new
          // ones appear together at the end (the blocks' own runs in NAME.files/runs as they finish).
          outputs = new OutputSet(opts.out, [`${name}.md`, `${name}.html`, `${name}.files`], `${name}.html`);
          const blocks = text.match(/^```capsim\s*$/gm)?.length ?? 0;
          let block = 0;
          const nb = await executeNotebook(file, text, {
            quick: opts.quick ?? false,
            workDir: path.join(opts.out, `${name}.files`, 'runs'),
            onBlock: (line, command) => progress.step(block++, blocks, `blocks; ${file}:${line}: ${command}`),
          });
          progress.end();
          // Loaded here, not with the CLI: marked builds its regular expressions when it loads (~5 ms
          // of every other command's start).
          const { writeNotebook } = await import('../../notebook/render.js');
          writeNotebook(nb, outputs.staging, opts.out);
          outputs.commit();
          const out = { md: path.join(opts.out, `${name}.md`), html: path.join(opts.out, `${name}.html`) };
          written.push(out.md, out.html);
          const filesDir = path.join(opts.out, `${name}.files`);
          process.stderr.write(wroteLine([out.md, out.html, ...(existsSync(filesDir) ? [`${filesDir}/`] : [])]));
        }
        off();
      } catch (err) {
        progress.end();
        off();
        outputs?.discard();
        if (err instanceof NotebookBlockError) {
          process.stderr.write(`capsim: ${err.message}\n`);
          if (process.env['CAPSIM_DEBUG'] && err.reason instanceof Error) process.stderr.write(`${err.reason.stack}\n`);
          process.exit(err.exitCode);
        }
        reportAndExit(err);
      }
    });
}
