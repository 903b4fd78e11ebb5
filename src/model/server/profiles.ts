// Which defaults and honoured settings apply, by server: the facts themselves live in
// src/facts/uwsgi.ts and src/facts/gunicorn.ts (each default cites its source; `capsim explain`
// prints them). What becomes of a connection after a response follows from them here.
import { gunicornDefaults, gunicornHonours } from '../../facts/gunicorn.js';
import { uwsgiDefaults, uwsgiHonours } from '../../facts/uwsgi.js';
import type { CommonDefaults, HonourSetting } from '../../facts/settings.js';
import type { ServerKind, WorkerMode } from '../../scenario/model-types.js';

export type { Default, CommonDefaults, HonourSetting } from '../../facts/settings.js';

export const DEFAULT_VERSION: Record<ServerKind, string> = { uwsgi: '2.0.15', gunicorn: '20.1.0' };

/** The defaults of every server setting capsim models, for this kind, version and mode. */
export function serverDefaults(kind: ServerKind, version: string, mode: WorkerMode, socket: 'http-socket' | 'http11-socket' = 'http-socket', driver: 'mysqlclient' | 'pymysql' = 'mysqlclient') {
  const connectionClose = { value: false, source: 'capsim default: no `Connection: close` header added (uWSGI add-header)' };
  const common: CommonDefaults = { connectionClose };
  return kind === 'uwsgi' ? uwsgiDefaults(version, mode, socket, common, driver) : gunicornDefaults(version, mode, common);
}


/** Does this server version honour the setting? (A setting it ignores is a warning in explain.) */
export function honours(kind: ServerKind, version: string, setting: HonourSetting, mode: WorkerMode, socket: 'http-socket' | 'http11-socket' = 'http-socket'): { ok: boolean; why: string } {
  return kind === 'uwsgi' ? uwsgiHonours(setting, version, socket) : gunicornHonours(setting, mode);
}

/**
 * What becomes of the connection after a response, as the balancer sees it:
 *   keep-alive  — the server keeps it open for keepAlive seconds (gunicorn gevent/gthread,
 *                 uWSGI http11-socket): reusable, with the keepalive-race at its idle close;
 *   close-after — uWSGI 2.0 http-socket: HTTP/1.1 with a Content-Length and no
 *                 `Connection: close`, then the worker closes the socket (proto/http.c,
 *                 core/utils.c uwsgi_close_request): a keep-alive balancer takes it as reusable;
 *   closed      — the response says `Connection: close` (gunicorn sync's resp.force_close(),
 *                 gunicorn keepalive 0, uWSGI add-header): never reused.
 */
export type ConnectionFate = 'keep-alive' | 'close-after' | 'closed';

export function connectionFate(s: { kind: ServerKind; version: string; mode: WorkerMode; keepAlive: number; socket: 'http-socket' | 'http11-socket'; connectionClose: boolean }): ConnectionFate {
  if (s.connectionClose) return 'closed';
  if (s.kind === 'gunicorn') return s.mode === 'sync' || s.keepAlive <= 0 ? 'closed' : 'keep-alive';
  if (s.socket === 'http11-socket' && s.keepAlive > 0 && honours(s.kind, s.version, 'keepAlive', s.mode, s.socket).ok) return 'keep-alive';
  return 'close-after';
}
