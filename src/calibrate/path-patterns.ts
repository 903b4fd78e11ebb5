// Request paths grouped into endpoints: segments that are identifiers are collapsed, so
// /users/123 and /users/456 are one endpoint, /users/:id. A segment is an identifier when it
// is a number, a UUID, a long hexadecimal string (a hash), or a long token mixing letters and
// digits (base64-like keys, slugs with ids). Everything else is kept as written.

const NUMBER = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{12,}$/i;
const TOKEN = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_=-]{20,}$/;
// 2026-12-02, 20261202: dates in paths (archives, reports)
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function segmentPattern(seg: string): string {
  if (NUMBER.test(seg)) return ':id';
  if (UUID.test(seg)) return ':uuid';
  if (DATE.test(seg)) return ':date';
  if (HEX.test(seg)) return ':hash';
  if (TOKEN.test(seg)) return ':token';
  return seg;
}

/** "/users/123/orders/9f86d081884c7d659a2feaa0c55ad015" -> "/users/:id/orders/:hash" */
export function pathPattern(path: string): string {
  if (path === '/' || path === '') return '/';
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) if (parts[i] !== '') parts[i] = segmentPattern(parts[i]!);
  return parts.join('/');
}
