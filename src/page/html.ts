// DIR/index.html of `capsim page`: one self-contained file. The page's script (dist/page-app.js,
// with vega and vega-lite), the engine's (dist/page-engine.js, started as a Web Worker from a
// blob) and the model are inline, so it works from file:// with no network. Pure.
import { documentStart } from '../report/html/escape.js';
import { CONFIG_ID, ENGINE_ID, type PageConfig } from './config.js';

const STYLE = `
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; margin: 1.2em auto; padding: 0 1em; max-width: 1400px; color: #222; line-height: 1.4; }
h1 { font-size: 1.45em; margin: 0 0 0.2em; } h2 { font-size: 1.15em; margin: 1.4em 0 0.5em; border-bottom: 1px solid #ddd; }
.meta { color: #666; font-size: 0.9em; margin: 0.2em 0; }
#answer { font-size: 1.15em; font-weight: bold; margin: 0.6em 0 0.2em; padding: 0.5em 0.7em; background: #f3f6fb; border-left: 4px solid #4c78a8; }
#answer[data-state=running] { color: #555; }
#error { color: #a00; font-weight: bold; } #warnings { color: #8a5a00; font-size: 0.88em; padding-left: 1.2em; } #hash-note { color: #a00; font-size: 0.88em; }
.layout { display: grid; grid-template-columns: 340px minmax(0, 1fr); gap: 1.5em; align-items: start; }
form fieldset { border: 1px solid #ddd; margin: 0 0 0.8em; padding: 0.3em 0.7em 0.5em; }
form legend { font-weight: bold; font-size: 0.9em; }
.control { display: grid; grid-template-columns: 1fr auto; gap: 0 0.5em; margin: 0.35em 0; font-size: 0.86em; }
.control label { grid-column: 1 / 3; } .control input, .control select { grid-column: 1; width: 100%; box-sizing: border-box; }
.control output { grid-column: 2; font-family: monospace; white-space: nowrap; min-width: 6em; text-align: right; }
.control .path { grid-column: 1 / 3; font-family: monospace; color: #999; font-size: 0.85em; }
.control.changed output { color: #1f5fa8; font-weight: bold; }
#figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 0.6em; }
.figure { border: 1px solid #ddd; padding: 0.4em 0.6em; background: #fff; }
.figure .label { font-size: 0.8em; color: #555; } .figure .text { font-size: 1.05em; font-weight: bold; font-variant-numeric: tabular-nums; } .figure .unit { font-size: 0.75em; color: #777; }
[data-state=running] .text { color: #777; }
table { border-collapse: collapse; font-size: 0.85em; } td { padding: 1px 12px 1px 0; vertical-align: top; }
td.path { font-family: monospace; } td.source, td.unit { color: #777; } td.text { font-variant-numeric: tabular-nums; }
#actions { margin: 1em 0; } #actions button, #actions a { margin-right: 0.8em; }
#command { display: block; background: #eef3fb; border-left: 3px solid #4c78a8; padding: 0.5em; margin-top: 0.5em; font-size: 0.85em; white-space: pre-wrap; word-break: break-all; }
#charts figure.chart { margin: 0.8em 0; overflow-x: auto; }
pre { background: #f6f6f6; padding: 0.6em; overflow: auto; max-height: 30em; font-size: 0.78em; }
`;

const BODY = `
<p id="answer" data-metric="answer" data-state="running">Loading…</p>
<p id="progress" class="meta"></p>
<p id="error" hidden></p>
<p id="hash-note"></p>
<ul id="warnings"></ul>
<div class="layout">
<form id="controls" autocomplete="off" onsubmit="return false"></form>
<section>
<div id="figures"></div>
<h2>More figures</h2>
<table><tbody id="more-figures"></tbody></table>
<div id="actions">
<button type="button" id="copy-command">Copy as command</button><span id="copy-status" class="meta"></span>
<a id="download-model">Download model (YAML)</a>
<a id="download-json">Download results (JSON)</a>
<code id="command"></code>
</div>
<h2>Charts</h2>
<div id="charts"></div>
<h2>Settings</h2>
<p class="meta">The values the model file, capsim page's arguments or this page chose (capsim explain MODEL lists every value with its source).</p>
<table><tbody id="settings"></tbody></table>
<h2>Results as JSON</h2>
<p class="meta">The same object <code>capsim run … --json</code> prints for the command above.</p>
<pre id="result-json"></pre>
</section>
</div>
`;

/** Script text that cannot end the <script> element it is in (esbuild already writes "<\/script" in strings). */
const inScript = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1');
/** JSON with every "<" escaped: it can end no element. */
const jsonInScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

export function pageHtml(cfg: PageConfig, modelName: string, appJs: string, engineJs: string): string {
  const title = `capsim what-if: ${modelName}`;
  const sub = `${cfg.file}${cfg.sets.length > 0 ? ` with ${cfg.sets.map((s) => `--set ${s}`).join(' ')}` : ''}; every figure is a mean with its 95% interval over the replications; the engine runs in this page (no network)`;
  return [
    ...documentStart(title, STYLE, sub),
    BODY,
    `<script type="application/json" id="${CONFIG_ID}">${jsonInScript(cfg)}</script>`,
    `<script type="text/plain" id="${ENGINE_ID}">${inScript(engineJs)}</script>`,
    `<script>${inScript(appJs)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
