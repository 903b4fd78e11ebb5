// capsim page MODEL [--vary PATH=LIST]… --out DIR: the what-if page, DIR/index.html, one
// self-contained file with the engine inside (src/page/).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../experiment/files.js';
import { OutputLock } from '../../experiment/output-lock.js';
import { checkOutputDir } from '../../experiment/output-set.js';
import { parseVary } from '../../experiment/grid.js';
import { loadPriceTable } from '../../experiment/price-file.js';
import { checkArch } from '../../experiment/prices.js';
import { parseModelText } from '../../scenario/parse-model.js';
import { pageControls } from '../../page/controls.js';
import { pageHtml } from '../../page/html.js';
import type { PageConfig } from '../../page/config.js';
import { num } from '../../report/format.js';
import { cliIo, type CommandIo } from '../io.js';
import { collect, simulationOverrides, type SimulationOptions } from '../options.js';
import { UsageError } from '../errors.js';
import { readModelText } from './experiment-common.js';

interface PageOptions extends SimulationOptions {
  vary: string[];
  prices?: string;
  arch?: string;
  out?: string;
}

/** The page's two scripts, built by `npm run build` beside the CLI bundle (dist/). */
const ASSETS = ['page-app.js', 'page-engine.js'] as const;

function findAssets(): string[] {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (ASSETS.every((a) => existsSync(path.join(dir, a)))) return ASSETS.map((a) => path.join(dir, a));
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find ${ASSETS.join(' and ')} beside capsim: run npm run build`);
}

export function registerPage(program: Command, io: CommandIo = cliIo): void {
  program
    .command('page')
    .description('write DIR/index.html: the model as a what-if page (sliders, figures with 95% intervals, charts) that runs in the browser, offline')
    .argument('<model>', 'model file (YAML)')
    .option('--vary <path=list>', 'also offer this key with these values (2,4,8 or 2..16:2), repeatable', collect, [])
    .option('--set <key.path=value>', 'override a model value before the page starts from it (repeatable)', collect, [])
    .option('--duration <d>', 'measured simulated time per replication the page starts with, e.g. 10m')
    .option('--warmup <d>', 'simulated time discarded at the start of each replication')
    .option('--replications <n>', 'replications the page starts with')
    .option('--seed <s>', 'run seed the page starts with')
    .option('--prices <file>', 'price table for the cost (default: models/prices/fargate-us-east-1.yaml)')
    .option('--arch <arch>', "architecture in the price table: x86 or arm (default: the table's)")
    .option('--out <dir>', 'write DIR/index.html (required)')
    .action((file: string, opts: PageOptions) => {
      let lock: OutputLock | undefined;
      try {
        if (opts.out === undefined) throw new UsageError('capsim page writes DIR/index.html: give --out DIR');
        checkOutputDir(opts.out);
        lock = OutputLock.acquire(opts.out);
        const text = readModelText(file);
        const sets = [...opts.set, ...simulationOverrides(opts)];
        const model = parseModelText(text, file, sets);
        const varies = opts.vary.map(parseVary);
        // Every value a select offers must be one the model takes: say so now, not in the page.
        for (const v of varies) for (const t of v.texts) parseModelText(text, file, [...sets, `${v.path}=${t}`]);
        const prices = loadPriceTable(opts.prices);
        const arch = checkArch(prices, opts.arch);
        const cfg: PageConfig = { file, text, sets, controls: pageControls(model, varies, prices), prices, arch };
        const [app, engine] = findAssets().map((f) => readFileSync(f, 'utf8'));
        const html = pageHtml(cfg, model.name, app!, engine!);
        const out = path.join(opts.out, 'index.html');
        writeFileAtomic(out, html);
        io.emit?.({ kind: 'page', file: out, model: model.name });
        const what = `the what-if page of ${model.name}, ${num(Buffer.byteLength(html) / 2 ** 20, 2)} MiB, self-contained: open it in a browser`;
        // On the command line, what was written goes to stderr like every command's; a notebook shows it.
        if (io.wrote) io.wrote([out], what);
        else io.out(`${out}: ${what}\n`);
      } catch (err) {
        io.fail(err);
      } finally {
        lock?.release();
      }
    });
}
