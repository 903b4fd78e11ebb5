// Request paths grouped into endpoints: segments that are identifiers are collapsed, so
// /users/123 and /users/456 are one endpoint, /users/:id. A segment is an identifier when it
// is a number, a UUID, a long hexadecimal string (a hash), or a long token mixing letters and
// digits (base64-like keys, slugs with ids). Everything else is kept as written.

const NUMBER = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{12,}$/i;
const TOKEN = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_=-]{20,}$/;
const HEX_INSIDE = /[0-9a-f]{12,}/i;
const HEX_RUN = /[0-9a-f]{12,}/gi;
// 2026-12-02: dates in paths (archives, reports)
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function segmentPattern(seg: string): string {
  // Most segments are short words: decided without a regular expression (this runs per line).
  const c = seg.charCodeAt(0);
  const digit = c >= 48 && c <= 57;
  if (seg.length < 10 && !digit) return seg;
  if (NUMBER.test(seg)) return ':id';
  if (UUID.test(seg)) return ':uuid';
  if (DATE.test(seg)) return ':date';
  if (HEX.test(seg)) return ':hash';
  if (TOKEN.test(seg)) return ':token';
  // a hash inside a name: app.3f2a9c81d0e4b7aa.js (cache-busting file names)
  return HEX_INSIDE.test(seg) ? seg.replace(HEX_RUN, ':hash') : seg;
}

/** "/users/123/orders/9f86d081884c7d659a2feaa0c55ad015" -> "/users/:id/orders/:hash" */
export function pathPattern(path: string): string {
  if (path === '/' || path === '') return '/';
  if (!mayCollapse(path)) return path;
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) if (parts[i] !== '') parts[i] = segmentPattern(parts[i]!);
  return parts.join('/');
}

/** Does any segment start with a digit or run 10 characters or more? (Else none collapses.) */
function mayCollapse(path: string): boolean {
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    const c = i < path.length ? path.charCodeAt(i) : 47;
    if (c === 47) {
      if (i - start >= 10) return true;
      start = i + 1;
    } else if (i === start && c >= 48 && c <= 57) return true;
  }
  return false;
}
