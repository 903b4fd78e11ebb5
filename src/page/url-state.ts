// The page's state in the URL hash, so a link reproduces a what-if:
// `#fleet.server.workers=8&traffic.rate=25000/min`. Only inputs moved away from the model's value
// are written; `/` and `:` stay readable. Pure.
import { acceptsText, type Control } from './controls.js';

const encode = (s: string) => encodeURIComponent(s).replace(/%2F/gi, '/').replace(/%3A/gi, ':');

export function hashFor(controls: readonly Control[], values: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const c of controls) {
    const v = values.get(c.path);
    if (v !== undefined && v !== c.initial) parts.push(`${c.path}=${encode(v)}`);
  }
  return parts.length > 0 ? `#${parts.join('&')}` : '';
}

export interface HashState {
  /** Input values read from the hash (only for known inputs, with values they can hold). */
  values: Map<string, string>;
  /** What was ignored, for a note on the page: "fleet.server.workerz=8: no such input". */
  ignored: string[];
}

export function readHash(hash: string, controls: readonly Control[]): HashState {
  const values = new Map<string, string>();
  const ignored: string[] = [];
  const body = hash.replace(/^#/, '');
  if (body === '') return { values, ignored };
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key: string;
    let text: string;
    try {
      key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      text = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      ignored.push(`${part}: not URL-encoded text`);
      continue;
    }
    const c = controls.find((x) => x.path === key);
    if (!c) ignored.push(`${key}: no such input on this page`);
    else if (!acceptsText(c, text)) ignored.push(`${key}=${text}: not a value this input takes`);
    else values.set(key, text);
  }
  return { values, ignored };
}
