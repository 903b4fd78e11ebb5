// The AWS access-log line: fields separated by one space, some in double quotes (which may
// hold spaces). One scanner reused for every line: it hands out one field at a time, so a
// reader pays only for the fields it asks for.

export class AwsFields {
  private line = '';
  private pos = 0;

  reset(line: string): void {
    this.line = line;
    this.pos = 0;
  }

  /** The next field (quotes removed), or null at the end of the line or on an unclosed quote. */
  next(): string | null {
    const s = this.line;
    const p = this.pos;
    if (p >= s.length) return null;
    if (s.charCodeAt(p) === 34 /* " */) {
      const q = s.indexOf('"', p + 1);
      if (q < 0) return null;
      this.pos = q + 2;
      return s.slice(p + 1, q);
    }
    let e = s.indexOf(' ', p);
    if (e < 0) e = s.length;
    this.pos = e + 1;
    return s.slice(p, e);
  }

  /** Skip n fields; false if the line ended first. */
  skip(n: number): boolean {
    const s = this.line;
    for (let i = 0; i < n; i++) {
      const p = this.pos;
      if (p >= s.length) return false;
      if (s.charCodeAt(p) === 34) {
        const q = s.indexOf('"', p + 1);
        if (q < 0) return false;
        this.pos = q + 2;
      } else {
        const e = s.indexOf(' ', p);
        this.pos = e < 0 ? s.length : e + 1;
      }
    }
    return true;
  }
}

/** "GET http://www.example.com:80/x?y HTTP/1.1" into rec.method and rec.path; false if not a request line. */
export function requestLine(req: string, rec: { method: string; path: string }, pathOf: (u: string) => string): boolean {
  const a = req.indexOf(' ');
  if (a <= 0) return false;
  let b = req.lastIndexOf(' ');
  if (b <= a) b = req.length; // HTTP/0.9 style: no protocol
  rec.method = req.slice(0, a);
  rec.path = pathOf(req.slice(a + 1, b));
  return true;
}
