// "Download model": the model file with the page's changes written into it, its comments kept,
// so `capsim run` on the download computes what the page shows. Pure.
import * as YAML from 'yaml';
import { parseSetArg } from '../scenario/overrides.js';
import { quoteDistributionCalls } from '../scenario/quote-distributions.js';

export function modelYaml(text: string, file: string, sets: readonly string[]): string {
  // Distribution calls are quoted first, as capsim reads them (quote-distributions.ts).
  const doc = YAML.parseDocument(quoteDistributionCalls(text));
  for (const arg of sets) {
    const o = parseSetArg(arg, file);
    // The value as written (so "2.0" stays the text it was), as a node of its own.
    const value = YAML.parseDocument(quoteDistributionCalls(o.text, true)).contents;
    doc.setIn(o.path, value);
  }
  const head = sets.length > 0 ? `# ${file} as changed in capsim page: ${sets.join(' ')}\n` : '';
  return head + doc.toString({ lineWidth: 0 });
}
