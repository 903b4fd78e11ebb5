// capsim merge DIR…: the shards of a sweep (`capsim sweep --shard K/N`) combined into exactly
// the output of the unsharded sweep.
import path from 'node:path';
import type { Command } from 'commander';
import { gatherShards } from '../../experiment/merge.js';
import { checkOutputDir, OutputSet } from '../../experiment/output-set.js';
import { assertNotBeingWritten } from '../../experiment/output-lock.js';
import { sweepResult } from '../../experiment/sweep.js';
import { sweepReportHtml } from '../../report/html/reports.js';
import { cliIo, wroteLine } from '../io.js';
import { reportSettings } from './report-settings.js';
import { sweepTable, sweepTableDoc } from '../../report/sweep-table.js';
import { UsageError } from '../errors.js';
import { fail, sweepWarnings, warningLines, writeSweepOutputs } from './experiment-common.js';

interface MergeOptions {
  out?: string;
  json?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description("combine the shards of a sweep (capsim sweep --shard K/N) into the unsharded sweep's output")
    .argument('<dir...>', 'output directories of the shards (or one directory they all wrote to)')
    .option('--out <dir>', 'where to write sweep.csv, sweep.json and the merged points (default: the directory, when only one is given)')
    .option('--json', 'print sweep.json on stdout instead of the table')
    .action(async (dirs: string[], opts: MergeOptions) => {
      let outputs: OutputSet | undefined;
      try {
        if (opts.out === undefined && dirs.length > 1) throw new UsageError('merging several directories: say where the result goes with --out DIR');
        const out = opts.out ?? dirs[0]!;
        checkOutputDir(out);
        // A shard (or a sweep) still running has not written all its points yet.
        for (const d of [...new Set([...dirs, out])]) assertNotBeingWritten(d, 'merge');
        const { sweep } = gatherShards(dirs);
        outputs = new OutputSet(out);
        sweep.open(out, false);
        for (const p of sweep.points) sweep.save(p.index);
        const result = sweepResult(sweep);
        const json = writeSweepOutputs(outputs, result);
        // The report the unsharded sweep would have written, so that no older one stays beside the merged result.
        outputs.write('report.html', await sweepReportHtml({ command: cliIo.commandLine(), result, figures: sweepTableDoc(result), settings: reportSettings(sweep.spec), warnings: warningLines(sweepWarnings(sweep)), imagesDir: outputs.path('charts') }));
        outputs.commit();
        process.stdout.write(opts.json ? json : `${sweepTable(result)}\n`);
        process.stderr.write(wroteLine(['sweep.csv', 'sweep.json', 'report.html', 'charts/', 'points/'].map((f) => path.join(out, f)), `${sweep.points.length} points merged from ${dirs.join(', ')}`));
      } catch (err) {
        fail(err);
      } finally {
        outputs?.discard();
      }
    });
}
