// Distribution calls contain YAML indicators: in `{ cpu: lognormal(mean=6ms, sd=5ms) }` the
// comma ends the plain scalar, and in `cpu: mix(0.9: exp(5ms), 0.1: const(1s))` the ": " starts
// a nested mapping. Model files write distributions unquoted in both places (docs/model.md), so before YAML
// parsing we put double quotes around every unquoted distribution call that sits where a
// value starts. Only characters on the same line are added, so line numbers do not change.
// Pure: no Node-only imports.

const CALL = /^(?:const|exp|uniform|normal|lognormal|gamma|weibull|pareto|empirical|mix|mixture)\s*\(/i;
const VALUE_START_AFTER_SPACE = new Set([':', '-', '[', '{', ',', '?']);
const VALUE_START_ADJACENT = new Set(['[', '{', ',']);

/**
 * Quote unquoted distribution calls (`exp(...)`, `mix(...)`, ...) in YAML text.
 * With `wholeValue`, the text is a single value (a --set value) and a call may start it.
 */
export function quoteDistributionCalls(text: string, wholeValue = false): string {
  let out = '';
  let i = 0;
  let quote: '"' | "'" | null = null;
  let comment = false;
  let lastSignificant = ''; // last non-space character on the current line, outside comments
  let lineHasContent = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      comment = false;
      lastSignificant = '';
      lineHasContent = false;
      out += c;
      i++;
      continue;
    }
    if (comment) {
      out += c;
      i++;
      continue;
    }
    if (quote !== null) {
      if (quote === '"' && c === '\\' && i + 1 < text.length) {
        out += c + text[i + 1]!;
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      out += c;
      i++;
      continue;
    }
    const prev = i > 0 ? text[i - 1]! : '\n';
    const afterSpace = prev === ' ' || prev === '\t';
    const atValueStart =
      (afterSpace && VALUE_START_AFTER_SPACE.has(lastSignificant)) ||
      VALUE_START_ADJACENT.has(prev) ||
      (wholeValue && !lineHasContent && i === text.length - text.trimStart().length);
    if (c === '#' && (afterSpace || prev === '\n')) {
      comment = true;
      out += c;
      i++;
      continue;
    }
    if ((c === '"' || c === "'") && (atValueStart || !lineHasContent)) {
      quote = c;
      out += c;
      lastSignificant = c;
      lineHasContent = true;
      i++;
      continue;
    }
    if (atValueStart && CALL.test(text.slice(i, i + 20))) {
      const end = matchingParen(text, i);
      if (end > 0) {
        const call = text.slice(i, end + 1);
        const rest = text.slice(end + 1, lineEnd(text, end + 1));
        if (!/["\\#]/.test(call) && /^\s*(?:[,\]}]|#|$)/.test(rest)) {
          out += `"${call}"`;
          i = end + 1;
          lastSignificant = '"';
          lineHasContent = true;
          continue;
        }
      }
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') {
      lastSignificant = c;
      lineHasContent = true;
    }
    out += c;
    i++;
  }
  return out;
}

function lineEnd(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  return n < 0 ? text.length : n;
}

/** Index of the ")" closing the first "(" at or after `start`, on the same line; -1 if none. */
function matchingParen(text: string, start: number): number {
  let depth = 0;
  const end = lineEnd(text, start);
  for (let j = start; j < end; j++) {
    const c = text[j];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}
