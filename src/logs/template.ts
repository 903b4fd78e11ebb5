// A log line described by a format string: literal text with variables in between, such as
// nginx's log_format ('$remote_addr - $remote_user [$time_local] "$request" ...') or gunicorn's
// access_log_format ('%(h)s %(l)s %(u)s %(t)s "%(r)s" ...'). A variable's value runs up to the
// next occurrence of the literal that follows it (the last one to the end of the line), which
// is how these servers write them: nginx escapes " in values as \x22.

export interface Template {
  /** literals[i] comes before vars[i]; literals has one more entry (the text after the last variable). */
  literals: string[];
  vars: string[];
}

/** Split a format by a variable pattern whose first group is the variable's name. */
export function compileTemplate(format: string, variable: RegExp): Template {
  const literals: string[] = [];
  const vars: string[] = [];
  let last = 0;
  for (const m of format.matchAll(variable)) {
    literals.push(format.slice(last, m.index));
    vars.push(m[1]!);
    last = m.index! + m[0].length;
  }
  literals.push(format.slice(last));
  for (let i = 1; i < vars.length; i++) {
    if (literals[i] === '') throw new Error(`variables ${vars[i - 1]} and ${vars[i]} have no text between them: the line cannot be split`);
  }
  return { literals, vars };
}

/** nginx log_format variables: $name or ${name}. */
export const NGINX_VARIABLE = /\$\{?([A-Za-z0-9_]+)\}?/g;
/** gunicorn access_log_format atoms: %(h)s, %({header}i)s. */
export const GUNICORN_VARIABLE = /%\(([^)]+)\)s/g;

/**
 * Match line against t, writing each variable's value into values (by index). Returns null or
 * the index of the literal that did not match. `multi(i)` says a variable may hold ", " and
 * " : " separated lists (nginx's $upstream_* variables), so a separator inside it is not its end.
 */
export function matchTemplate(t: Template, line: string, values: string[], multi: (i: number) => boolean): number | null {
  const { literals, vars } = t;
  if (!line.startsWith(literals[0]!)) return 0;
  let pos = literals[0]!.length;
  for (let i = 0; i < vars.length; i++) {
    const lit = literals[i + 1]!;
    let end: number;
    if (lit === '' && i === vars.length - 1) end = line.length;
    else {
      // A value that opens a bracket ("[10/Oct/2000:13:55:36 -0700]", gunicorn's %(t)s) ends after it.
      const close = line.charCodeAt(pos) === 91 ? line.indexOf(']', pos) : -1;
      end = line.indexOf(lit, close >= 0 ? close : pos);
      if (multi(i)) while (end > 0 && isListSeparator(line, end)) end = line.indexOf(lit, end + 1);
      if (end < 0) return i + 1;
    }
    values[i] = line.slice(pos, end);
    pos = end + lit.length;
  }
  return pos === line.length || literals[literals.length - 1] === '' ? null : literals.length - 1;
}

/** Is the space at i inside "a, b" or "a : b"? */
function isListSeparator(s: string, i: number): boolean {
  const prev = s.charCodeAt(i - 1);
  return prev === 44 /* , */ || prev === 58 /* : */ || s.charCodeAt(i + 1) === 58;
}

/** The last entry of an nginx upstream list ("0.001, 0.002 : 0.003" -> "0.003"): the attempt that answered. */
export function lastOfList(v: string): string {
  const i = Math.max(v.lastIndexOf(', '), v.lastIndexOf(' : '));
  return i < 0 ? v : v.slice(i + (v.charCodeAt(i) === 44 ? 2 : 3));
}
